#include "storage/jobqueue.h"

#include "storage/sqlquery.h"

#include <QJsonDocument>

namespace sd::storage {

namespace {

JobQueue::State stateFromKey(const QString &key)
{
    for (auto state : {JobQueue::State::Pending, JobQueue::State::Waiting, JobQueue::State::Running,
                       JobQueue::State::Done, JobQueue::State::Failed}) {
        if (JobQueue::stateKey(state) == key)
            return state;
    }
    return JobQueue::State::Pending;
}

} // namespace

QString JobQueue::stateKey(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Waiting:
        return QStringLiteral("waiting");
    case State::Running:
        return QStringLiteral("running");
    case State::Done:
        return QStringLiteral("done");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

JobQueue::JobQueue(std::shared_ptr<Database> db)
    : m_db(std::move(db))
{}

Result<qint64> JobQueue::enqueue(const QString &kind, qint64 orderId, const QJsonObject &payload,
                                 const QString &idempotencyKey, const QDateTime &dueAt, qint64 causeEventId,
                                 const QString &waitingReason)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlDatabase db = m_db->connection();
    auto insert = prepare(db,
                          QStringLiteral("INSERT INTO jobs (kind, order_id, payload, idempotency_key, state, due_at, "
                                         "last_error, created_at, cause_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                         "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"),
                          "enqueue job");
    if (!insert)
        return insert.error();
    insert->addBindValue(kind);
    insert->addBindValue(orderId ? QVariant(orderId) : QVariant(QMetaType::fromType<qint64>()));
    insert->addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    insert->addBindValue(idempotencyKey);
    insert->addBindValue(stateKey(waitingReason.isEmpty() ? State::Pending : State::Waiting));
    insert->addBindValue(dueAt.isValid() ? dueAt.toMSecsSinceEpoch() : now);
    insert->addBindValue(waitingReason.isNull() ? QString(u""_qs) : waitingReason);
    insert->addBindValue(now);
    insert->addBindValue(causeEventId ? QVariant(causeEventId) : QVariant(QMetaType::fromType<qint64>()));
    if (auto r = exec(*insert, "enqueue job"); !r)
        return r.error();
    if (insert->next()) {
        const qint64 id = insert->value(0).toLongLong();
        // Wakes the schedulers of other workstations (Scheduler listens); PostgreSQL delivers it at commit.
        if (m_db->isPostgres())
            if (auto r = exec(db, QStringLiteral("NOTIFY %1").arg(QLatin1StringView(kJobsChannel)), "notify jobs"); !r)
                return r.error();
        return id;
    }
    auto existing = prepare(db, QStringLiteral("SELECT id FROM jobs WHERE idempotency_key = ?"), "find job");
    if (!existing)
        return existing.error();
    existing->addBindValue(idempotencyKey);
    if (auto r = exec(*existing, "find job"); !r)
        return r.error();
    if (!existing->next())
        return toError(existing->lastError(), "find job");
    return existing->value(0).toLongLong();
}

Result<QList<JobQueue::Job>> JobQueue::forOrder(qint64 orderId)
{
    auto query = prepare(m_db->connection(),
                         QStringLiteral("SELECT id, kind, order_id, payload, idempotency_key, state, due_at, attempts, "
                                        "last_error, created_at FROM jobs WHERE order_id = ? ORDER BY id"),
                         "jobs for order");
    if (!query)
        return query.error();
    query->addBindValue(orderId);
    if (auto r = exec(*query, "jobs for order"); !r)
        return r.error();
    QList<Job> jobs;
    while (query->next()) {
        Job job;
        job.id = query->value(0).toLongLong();
        job.kind = query->value(1).toString();
        job.orderId = query->value(2).toLongLong();
        job.payload = QJsonDocument::fromJson(query->value(3).toString().toUtf8()).object();
        job.idempotencyKey = query->value(4).toString();
        job.state = stateFromKey(query->value(5).toString());
        job.dueAt = QDateTime::fromMSecsSinceEpoch(query->value(6).toLongLong(), Qt::UTC);
        job.attempts = query->value(7).toInt();
        job.lastError = query->value(8).toString();
        job.createdAt = QDateTime::fromMSecsSinceEpoch(query->value(9).toLongLong(), Qt::UTC);
        jobs.append(job);
    }
    return jobs;
}

} // namespace sd::storage
