#include "money/lossguard.h"

#include "access/session.h"
#include "automation/alerts.h"
#include "automation/sqlrun.h"
#include "messaging/outbox.h"
#include "money/profitservice.h"

#include <QJsonArray>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcMoney, "sd.money")

using namespace Qt::StringLiterals;

namespace sd::money {

using automation::runSql;

namespace {

const QString kHoldColumns = u"id, order_id, target_status, profit, currency, reasons, created_at, created_by, "
                             "released_at, released_by, release_reason"_s;

LossHold holdFrom(const QSqlQuery &q)
{
    LossHold h;
    h.id = q.value(0).toLongLong();
    h.orderId = q.value(1).toLongLong();
    h.targetStatus = q.value(2).toString();
    h.profit = q.value(3).toLongLong();
    h.currency = q.value(4).toString();
    h.reasons = q.value(5).toString().split(u'\n', Qt::SkipEmptyParts);
    h.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(6).toLongLong(), Qt::UTC);
    h.createdBy = q.value(7).toString();
    if (!q.value(8).isNull())
        h.releasedAt = QDateTime::fromMSecsSinceEpoch(q.value(8).toLongLong(), Qt::UTC);
    h.releasedBy = q.value(9).toString();
    h.releaseReason = q.value(10).toString();
    return h;
}

Result<std::optional<LossHold>> latestHold(storage::Database &db, qint64 orderId)
{
    auto q = runSql(db, u"SELECT %1 FROM loss_holds WHERE order_id = ? ORDER BY id DESC LIMIT 1"_s.arg(kHoldColumns),
                    "latest loss hold", {orderId});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<LossHold>();
    return std::optional<LossHold>(holdFrom(*q));
}

} // namespace

QJsonObject LossHold::toJson() const
{
    QJsonObject o{{u"id"_s, id},
                  {u"orderId"_s, orderId},
                  {u"targetStatus"_s, targetStatus},
                  {u"profit"_s, domain::Money(profit, currency).toDecimalString()},
                  {u"currency"_s, currency},
                  {u"reasons"_s, QJsonArray::fromStringList(reasons)},
                  {u"createdAt"_s, createdAt.toString(Qt::ISODateWithMs)},
                  {u"createdBy"_s, createdBy},
                  {u"open"_s, isOpen()}};
    if (!isOpen()) {
        o.insert(u"releasedAt"_s, releasedAt.toString(Qt::ISODateWithMs));
        o.insert(u"releasedBy"_s, releasedBy);
        o.insert(u"releaseReason"_s, releaseReason);
    }
    return o;
}

LossGuard::LossGuard(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<void> LossGuard::checkCompletion(const std::shared_ptr<storage::Database> &db, const domain::Order &after,
                                        const storage::ChangeContext &context)
{
    auto settings = MoneySettings::load(*db);
    if (!settings)
        return settings.error();
    if (!settings->lossGuard)
        return {};
    auto profit = ProfitService(db).compute(after);
    if (!profit)
        return profit.error();
    if (!profit->blocksCompletion(*settings))
        return {};
    auto hold = latestHold(*db, after.id);
    if (!hold)
        return hold.error();
    // A release stands while the profit is no worse than the administrator saw it.
    if (*hold && !(*hold)->isOpen() && (*hold)->profit <= profit->profit)
        return {};

    QStringList reasons = profit->problems;
    if (profit->profit < settings->minProfit)
        reasons.prepend(tr("The profit would be %1 (the minimum is %2).")
                            .arg(profit->display(profit->profit), profit->display(settings->minProfit)));
    const qint64 orderId = after.id;
    const QString status = after.status;
    const qint64 amount = profit->profit;
    const QString currency = profit->currency;
    const QString actor = context.actor;
    db->afterTransaction([db, orderId, status, amount, currency, reasons, actor](bool) {
        recordHold(db, orderId, status, amount, currency, reasons, actor);
    });
    return makeError(Error::Code::Conflict,
                     tr("Order %1 was not moved to \"%2\": %3 An administrator must release it first.")
                         .arg(QString::number(orderId), status, reasons.join(u' ')));
}

void LossGuard::recordHold(const std::shared_ptr<storage::Database> &db, qint64 orderId, const QString &status,
                           qint64 profit, const QString &currency, const QStringList &reasons, const QString &actor)
{
    // Runs after the refusing transaction ended: its own transaction, and nothing twice while a hold is open.
    auto run = [&]() -> Result<void> {
        storage::Transaction tx(*db, "record loss hold");
        if (!tx.started())
            return tx.started().error();
        auto latest = latestHold(*db, orderId);
        if (!latest)
            return latest.error();
        if (*latest && (*latest)->isOpen())
            return {};
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto insert = runSql(*db,
                             u"INSERT INTO loss_holds (order_id, target_status, profit, currency, reasons, created_at, "
                             "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                             "insert loss hold", {orderId, status, profit, currency, reasons.join(u'\n'), now, actor});
        if (!insert)
            return insert.error();
        auto id = runSql(*db, u"SELECT MAX(id) FROM loss_holds WHERE order_id = ?"_s, "loss hold id", {orderId});
        if (!id)
            return id.error();
        const qint64 holdId = id->next() ? id->value(0).toLongLong() : 0;
        storage::OrderStore orders(db);
        const storage::ChangeContext ctx{u"system:loss-guard"_s, tr("loss guard"), 0};
        const QJsonObject payload{{u"hold"_s, holdId},
                                  {u"status"_s, status},
                                  {u"profit"_s, domain::Money(profit, currency).toDecimalString()},
                                  {u"reasons"_s, QJsonArray::fromStringList(reasons)}};
        if (auto r = orders.recordEvent(LossGuardEvent::kBlocked, orderId, payload, ctx); !r)
            return r.error();
        if (auto r = orders.apply(storage::OrderChange::update(
                orderId,
                [](domain::Order &o) -> Result<void> {
                    if (!o.tags.contains(QLatin1StringView(kTag)))
                        o.tags.append(QString::fromLatin1(kTag));
                    return {};
                },
                ctx));
            !r)
            return r.error();
        automation::OperatorAlert alert;
        alert.kind = QString::fromLatin1(kAlertKind);
        alert.orderId = orderId;
        alert.action = u"loss-guard"_s;
        alert.message = tr("Order %1 was kept from \"%2\" by the loss guard: %3")
                            .arg(QString::number(orderId), status, reasons.join(u' '));
        if (auto r = automation::OperatorAlerts(db).raise(alert); !r)
            return r.error();
        auto settings = MoneySettings::load(*db);
        if (settings && !settings->adminEmail.isEmpty()) {
            messaging::MessageRequest mail;
            mail.key = u"loss-guard/hold:%1"_s.arg(holdId);
            mail.recipient = settings->adminEmail;
            mail.subject = tr("SellerDesk: order %1 held by the loss guard").arg(orderId);
            mail.text = alert.message + u"\n\n"_s +
                        tr("Release it in SellerDesk (order view, or: sellerdesk-cli profit release %1 --reason ...) "
                           "once the order is checked.")
                            .arg(orderId);
            if (auto r = messaging::Outbox(orders).queue(mail); !r)
                return r.error();
        }
        return tx.commit();
    };
    if (auto r = run(); !r)
        qCWarning(lcMoney) << "recording the loss hold of order" << orderId << "failed:" << r.error().text();
}

Result<QList<LossHold>> LossGuard::holds(qint64 orderId, bool openOnly)
{
    // A hold shows the order's profit.
    if (auto r = access::require(access::Permission::SeeProfit); !r)
        return r.error();
    QString where = u"WHERE 1 = 1"_s;
    if (orderId)
        where += u" AND order_id = %1"_s.arg(orderId);
    if (openOnly)
        where += u" AND released_at IS NULL"_s;
    auto q = runSql(*m_db, u"SELECT %1 FROM loss_holds %2 ORDER BY id DESC"_s.arg(kHoldColumns, where), "loss holds");
    if (!q)
        return q.error();
    QList<LossHold> out;
    while (q->next())
        out.append(holdFrom(*q));
    return out;
}

Result<LossHold> LossGuard::release(qint64 orderId, const QString &who, const QString &reason)
{
    if (auto r = access::require(access::Permission::SeeProfit, who); !r)
        return r.error();
    if (reason.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, tr("Say why the order may be completed (a reason is required)."));
    if (who.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, tr("A release must say who makes it."));
    storage::Transaction tx(*m_db, "release loss hold");
    if (!tx.started())
        return tx.started().error();
    auto latest = latestHold(*m_db, orderId);
    if (!latest)
        return latest.error();
    if (!*latest || !(*latest)->isOpen())
        return makeError(Error::Code::NotFound, tr("Order %1 is not held by the loss guard.").arg(orderId));
    LossHold hold = **latest;
    // The release stands for the profit as it is now (the data may have been mended since the hold).
    auto order = storage::OrderStore(m_db).load(orderId);
    if (!order)
        return order.error();
    auto profit = ProfitService(m_db).compute(*order);
    if (!profit)
        return profit.error();
    hold.profit = std::min(hold.profit, profit->profit);
    hold.releasedAt = QDateTime::currentDateTimeUtc();
    hold.releasedBy = who.trimmed();
    hold.releaseReason = reason.trimmed();
    if (auto r =
            runSql(*m_db,
                   u"UPDATE loss_holds SET released_at = ?, released_by = ?, release_reason = ?, profit = ? "
                   "WHERE id = ?"_s,
                   "release loss hold",
                   {hold.releasedAt.toMSecsSinceEpoch(), hold.releasedBy, hold.releaseReason, hold.profit, hold.id});
        !r)
        return r.error();
    storage::OrderStore orders(m_db);
    const storage::ChangeContext ctx{hold.releasedBy, hold.releaseReason, 0};
    if (auto r = orders.recordEvent(LossGuardEvent::kReleased, orderId,
                                    {{u"hold"_s, hold.id}, {u"reason"_s, hold.releaseReason}}, ctx);
        !r)
        return r.error();
    if (auto r = orders.apply(storage::OrderChange::update(
            orderId,
            [](domain::Order &o) -> Result<void> {
                o.tags.removeAll(QString::fromLatin1(kTag));
                return {};
            },
            ctx));
        !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return hold;
}

} // namespace sd::money
