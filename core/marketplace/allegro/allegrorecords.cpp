#include "marketplace/allegro/allegrorecords.h"

#include "storage/sqlbinder.h"
#include "storage/sqlquery.h"

namespace sd::marketplace::allegro {

namespace {

qint64 ms(const QDateTime &at)
{
    return at.isValid() ? at.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

QDateTime fromMs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

Result<QSqlQuery> run(storage::Database &db, const QString &sql, const QVariantList &values, const char *what)
{
    auto q = storage::prepare(db.connection(), sql, what);
    if (!q)
        return q.error();
    // Text columns are NOT NULL: an empty QString must not become NULL.
    for (const QVariant &value : values)
        q->addBindValue(value.typeId() == QMetaType::QString ? storage::notNullText(value.toString()) : value);
    if (auto r = storage::exec(*q, what); !r)
        return r.error();
    return std::move(*q);
}

Shipment shipmentFrom(const QSqlQuery &q)
{
    Shipment s;
    s.id = q.value(0).toLongLong();
    s.orderId = q.value(1).toLongLong();
    s.accountId = q.value(2).toLongLong();
    s.carrierId = q.value(3).toString();
    s.carrierName = q.value(4).toString();
    s.waybill = q.value(5).toString();
    s.externalId = q.value(6).toString();
    s.trackingStatus = q.value(7).toString();
    s.trackingUpdatedAt = fromMs(q.value(8));
    s.closed = q.value(9).toInt() != 0;
    s.createdAt = fromMs(q.value(10));
    return s;
}

const QString kShipmentColumns =
    QStringLiteral("SELECT id, order_id, account_id, carrier_id, carrier_name, waybill, external_id, tracking_status, "
                   "tracking_updated_at, closed, created_at FROM order_shipments ");

} // namespace

AllegroRecords::AllegroRecords(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<Shipment> AllegroRecords::addShipment(Shipment shipment)
{
    if (!shipment.createdAt.isValid())
        shipment.createdAt = QDateTime::currentDateTimeUtc();
    auto q = run(*m_db,
                 QStringLiteral("INSERT INTO order_shipments (order_id, account_id, carrier_id, carrier_name, waybill, "
                                "external_id, tracking_status, closed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)"),
                 {shipment.orderId, shipment.accountId, shipment.carrierId, shipment.carrierName, shipment.waybill,
                  shipment.externalId, shipment.trackingStatus, ms(shipment.createdAt)},
                 "add shipment");
    if (!q)
        return q.error();
    shipment.id = q->lastInsertId().toLongLong();
    return shipment;
}

Result<QList<Shipment>> AllegroRecords::shipments(qint64 orderId)
{
    auto q =
        run(*m_db, kShipmentColumns + QStringLiteral("WHERE order_id = ? ORDER BY id"), {orderId}, "list shipments");
    if (!q)
        return q.error();
    QList<Shipment> list;
    while (q->next())
        list.append(shipmentFrom(*q));
    return list;
}

Result<QList<Shipment>> AllegroRecords::openShipments(qint64 accountId)
{
    auto q = run(*m_db, kShipmentColumns + QStringLiteral("WHERE account_id = ? AND closed = 0 ORDER BY id"),
                 {accountId}, "list open shipments");
    if (!q)
        return q.error();
    QList<Shipment> list;
    while (q->next())
        list.append(shipmentFrom(*q));
    return list;
}

Result<void> AllegroRecords::setTracking(qint64 shipmentId, const QString &status, bool closed)
{
    auto q = run(*m_db,
                 QStringLiteral("UPDATE order_shipments SET tracking_status = ?, tracking_updated_at = ?, closed = ? "
                                "WHERE id = ?"),
                 {status, QDateTime::currentMSecsSinceEpoch(), closed ? 1 : 0, shipmentId}, "update tracking");
    if (!q)
        return q.error();
    return {};
}

Result<void> AllegroRecords::storeBilling(qint64 accountId, qint64 orderId, const QList<BillingEntry> &entries)
{
    storage::Transaction tx(*m_db, "store billing");
    if (!tx.started())
        return tx.started();
    if (auto q = run(*m_db, QStringLiteral("DELETE FROM marketplace_billing WHERE account_id = ? AND order_id = ?"),
                     {accountId, orderId}, "store billing");
        !q)
        return q.error();
    for (const BillingEntry &e : entries) {
        auto q =
            run(*m_db,
                QStringLiteral("INSERT INTO marketplace_billing (account_id, entry_id, order_id, type_id, "
                               "type_name, amount_minor, currency, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (account_id, entry_id) DO UPDATE SET order_id = excluded.order_id, "
                               "amount_minor = excluded.amount_minor"),
                {accountId, e.id, orderId, e.typeId, e.typeName, e.value.minor(), e.value.currency(), ms(e.occurredAt)},
                "store billing");
        if (!q)
            return q.error();
    }
    return tx.commit();
}

Result<QList<BillingEntry>> AllegroRecords::billing(qint64 orderId)
{
    auto q = run(*m_db,
                 QStringLiteral("SELECT entry_id, order_id, type_id, type_name, amount_minor, currency, occurred_at "
                                "FROM marketplace_billing WHERE order_id = ? ORDER BY occurred_at, entry_id"),
                 {orderId}, "read billing");
    if (!q)
        return q.error();
    QList<BillingEntry> list;
    while (q->next()) {
        BillingEntry e;
        e.id = q->value(0).toString();
        e.orderId = q->value(1).toLongLong();
        e.typeId = q->value(2).toString();
        e.typeName = q->value(3).toString();
        e.value = domain::Money(q->value(4).toLongLong(), q->value(5).toString());
        e.occurredAt = fromMs(q->value(6));
        list.append(e);
    }
    return list;
}

Result<void> AllegroRecords::storeOffers(qint64 accountId, const QJsonArray &offers)
{
    storage::Transaction tx(*m_db, "store offers");
    if (!tx.started())
        return tx.started();
    for (const QJsonValue &value : offers) {
        const QJsonObject o = value.toObject();
        const QJsonObject price = o.value(u"sellingMode").toObject().value(u"price").toObject();
        const QString currency = price.value(u"currency").toString();
        QVariant priceMinor;
        if (auto money = domain::Money::parse(price.value(u"amount").toString(), currency); money)
            priceMinor = money->minor();
        const QJsonValue available = o.value(u"stock").toObject().value(u"available");
        auto q = run(*m_db,
                     QStringLiteral("INSERT INTO marketplace_offers (account_id, offer_id, name, external_id, status, "
                                    "available, price_minor, currency, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                    "ON CONFLICT (account_id, offer_id) DO UPDATE SET name = excluded.name, "
                                    "external_id = excluded.external_id, status = excluded.status, "
                                    "available = excluded.available, price_minor = excluded.price_minor, "
                                    "currency = excluded.currency, updated_at = excluded.updated_at"),
                     {accountId, o.value(u"id").toString(), o.value(u"name").toString(),
                      o.value(u"external").toObject().value(u"id").toString(),
                      o.value(u"publication").toObject().value(u"status").toString(),
                      available.isDouble() ? QVariant(available.toInt()) : QVariant(), priceMinor, currency,
                      QDateTime::currentMSecsSinceEpoch()},
                     "store offers");
        if (!q)
            return q.error();
    }
    return tx.commit();
}

Result<int> AllegroRecords::offerCount(qint64 accountId)
{
    auto q = run(*m_db, QStringLiteral("SELECT COUNT(*) FROM marketplace_offers WHERE account_id = ?"), {accountId},
                 "count offers");
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<void> AllegroRecords::storeThreads(qint64 accountId, const QJsonArray &threads)
{
    storage::Transaction tx(*m_db, "store threads");
    if (!tx.started())
        return tx.started();
    for (const QJsonValue &value : threads) {
        const QJsonObject t = value.toObject();
        const QDateTime last = QDateTime::fromString(t.value(u"lastMessageDateTime").toString(), Qt::ISODateWithMs);
        auto q =
            run(*m_db,
                QStringLiteral("INSERT INTO marketplace_threads (account_id, thread_id, interlocutor, is_read, "
                               "last_message_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (account_id, thread_id) DO UPDATE SET interlocutor = "
                               "excluded.interlocutor, is_read = excluded.is_read, last_message_at = "
                               "excluded.last_message_at, updated_at = excluded.updated_at"),
                {accountId, t.value(u"id").toString(), t.value(u"interlocutor").toObject().value(u"login").toString(),
                 t.value(u"read").toBool() ? 1 : 0, last.isValid() ? QVariant(last.toMSecsSinceEpoch()) : QVariant(),
                 QDateTime::currentMSecsSinceEpoch()},
                "store threads");
        if (!q)
            return q.error();
    }
    return tx.commit();
}

Result<int> AllegroRecords::threadCount(qint64 accountId)
{
    auto q = run(*m_db, QStringLiteral("SELECT COUNT(*) FROM marketplace_threads WHERE account_id = ?"), {accountId},
                 "count threads");
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<void> AllegroRecords::storeRefund(const RefundRecord &refund)
{
    auto q = run(
        *m_db,
        QStringLiteral("INSERT INTO marketplace_refunds (kind, account_id, order_id, command_id, line_item_id, "
                       "external_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (command_id) DO UPDATE SET external_id = excluded.external_id, "
                       "status = excluded.status"),
        {refund.kind == RefundRecord::Kind::Payment ? u"payment"_qs : u"commission"_qs, refund.accountId,
         refund.orderId, refund.commandId, refund.lineItemId, refund.externalId, refund.status, ms(refund.createdAt)},
        "store refund");
    if (!q)
        return q.error();
    return {};
}

Result<QList<RefundRecord>> AllegroRecords::refunds(qint64 orderId)
{
    auto q = run(*m_db,
                 QStringLiteral("SELECT id, kind, account_id, order_id, command_id, line_item_id, external_id, status, "
                                "created_at FROM marketplace_refunds WHERE order_id = ? ORDER BY id"),
                 {orderId}, "read refunds");
    if (!q)
        return q.error();
    QList<RefundRecord> list;
    while (q->next()) {
        RefundRecord r;
        r.id = q->value(0).toLongLong();
        r.kind = q->value(1).toString() == u"payment" ? RefundRecord::Kind::Payment : RefundRecord::Kind::Commission;
        r.accountId = q->value(2).toLongLong();
        r.orderId = q->value(3).toLongLong();
        r.commandId = q->value(4).toString();
        r.lineItemId = q->value(5).toString();
        r.externalId = q->value(6).toString();
        r.status = q->value(7).toString();
        r.createdAt = fromMs(q->value(8));
        list.append(r);
    }
    return list;
}

} // namespace sd::marketplace::allegro
