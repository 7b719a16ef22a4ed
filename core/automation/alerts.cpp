#include "automation/alerts.h"

#include "automation/sqlrun.h"

namespace sd::automation {

OperatorAlerts::OperatorAlerts(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<qint64> OperatorAlerts::raise(const OperatorAlert &alert)
{
    auto q = runSql(*m_db,
                    u"INSERT INTO operator_alerts (kind, order_id, rule_id, job_id, action, message, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
                    "raise alert",
                    {alert.kind, nullableId(alert.orderId), nullableId(alert.ruleId), nullableId(alert.jobId),
                     alert.action, alert.message, QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    const qint64 id = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return id;
}

Result<QList<OperatorAlert>> OperatorAlerts::list(bool openOnly, int limit)
{
    auto q = runSql(*m_db,
                    u"SELECT id, kind, order_id, rule_id, job_id, action, message, created_at, acknowledged_at, "
                    "acknowledged_by FROM operator_alerts %1 ORDER BY id DESC LIMIT ?"_qs.arg(
                        openOnly ? u"WHERE acknowledged_at IS NULL"_qs : QString()),
                    "list alerts", {limit});
    if (!q)
        return q.error();
    QList<OperatorAlert> alerts;
    while (q->next()) {
        OperatorAlert a;
        a.id = q->value(0).toLongLong();
        a.kind = q->value(1).toString();
        a.orderId = q->value(2).toLongLong();
        a.ruleId = q->value(3).toLongLong();
        a.jobId = q->value(4).toLongLong();
        a.action = q->value(5).toString();
        a.message = q->value(6).toString();
        a.createdAt = QDateTime::fromMSecsSinceEpoch(q->value(7).toLongLong(), Qt::UTC);
        if (!q->value(8).isNull())
            a.acknowledgedAt = QDateTime::fromMSecsSinceEpoch(q->value(8).toLongLong(), Qt::UTC);
        a.acknowledgedBy = q->value(9).toString();
        alerts.append(a);
    }
    return alerts;
}

Result<void> OperatorAlerts::acknowledge(qint64 id, const QString &who)
{
    auto q = runSql(*m_db,
                    u"UPDATE operator_alerts SET acknowledged_at = ?, acknowledged_by = ? "
                    "WHERE id = ? AND acknowledged_at IS NULL"_qs,
                    "acknowledge alert", {QDateTime::currentMSecsSinceEpoch(), who, id});
    if (!q)
        return q.error();
    return {};
}

} // namespace sd::automation
