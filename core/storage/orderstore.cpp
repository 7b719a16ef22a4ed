#include "storage/orderstore.h"

#include "money/lossguard.h"

#include "access/session.h"
#include "storage/orderchangelistener.h"
#include "storage/orderquery.h"
#include "storage/sqlbinder.h"
#include "storage/sqlquery.h"
#include "util/jsontext.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSet>

namespace sd::storage {

using domain::Order;

namespace {

constexpr qint64 kEventLockKey = 7270432;

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

bool anyStartsWith(const QStringList &fields, QStringView prefix)
{
    return std::any_of(fields.begin(), fields.end(), [&](const QString &f) { return f.startsWith(prefix); });
}

constexpr char kInsertOrderSql[] =
    "INSERT INTO orders (marketplace, account, external_id, revision, status_id, marketplace_status, "
    "fulfillment_status, buyer_login, buyer_email, buyer_name, total_minor, currency, payment_method, "
    "payment_status, delivery_method, invoice_wanted, item_count, created_at, updated_at, marketplace_updated_at, "
    "doc, delivery_country, buyer_commented, referrers) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdateOrderSql[] =
    "UPDATE orders SET marketplace = ?, account = ?, external_id = ?, revision = ?, status_id = ?, "
    "marketplace_status = ?, fulfillment_status = ?, buyer_login = ?, buyer_email = ?, buyer_name = ?, "
    "total_minor = ?, currency = ?, payment_method = ?, payment_status = ?, delivery_method = ?, "
    "invoice_wanted = ?, item_count = ?, created_at = ?, updated_at = ?, marketplace_updated_at = ?, doc = ?, "
    "delivery_country = ?, buyer_commented = ?, referrers = ? WHERE id = ?";
constexpr char kInsertItemSql[] = "INSERT INTO order_items (order_id, position, offer_id, name, sku, ean, quantity, "
                                  "unit_price_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kInsertEventSql[] =
    "INSERT INTO events (type, order_id, payload, cause_depth, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kInsertHistorySql[] = "INSERT INTO order_history (order_id, event_id, at, actor, field, old_value, "
                                     "new_value, user_name, workstation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

} // namespace

OrderChange OrderChange::create(domain::Order order, ChangeContext context)
{
    OrderChange change;
    change.kind = Kind::Create;
    change.order = std::move(order);
    change.context = std::move(context);
    return change;
}

OrderChange OrderChange::update(qint64 orderId, Mutation mutate, ChangeContext context)
{
    OrderChange change;
    change.kind = Kind::Update;
    change.orderId = orderId;
    change.mutate = std::move(mutate);
    change.context = std::move(context);
    return change;
}

OrderChange OrderChange::setStatus(qint64 orderId, QString status, ChangeContext context)
{
    return update(
        orderId,
        [status = std::move(status)](domain::Order &order) -> Result<void> {
            order.status = status;
            return {};
        },
        std::move(context));
}

OrderStore::OrderStore(std::shared_ptr<Database> db, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
{}

Result<OrderStore::StatusRef> OrderStore::statusRef(const QString &name)
{
    if (auto it = m_statusCache.constFind(name); it != m_statusCache.constEnd())
        return *it;
    auto query = m_db->cached("status ref", QStringLiteral("SELECT id FROM statuses WHERE name = ?"));
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.addBindValue(name);
    if (auto r = exec(q, "status ref"); !r)
        return r.error();
    if (!q.next()) {
        q.finish();
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "There is no status named \"%1\".").arg(name));
    }
    StatusRef ref{q.value(0).toLongLong(), name};
    q.finish();
    m_statusCache.insert(name, ref);
    return ref;
}

Result<bool> OrderStore::entersClosedGroup(const QString &fromStatus, qint64 toStatusId)
{
    auto query = m_db->cached("status groups", QStringLiteral("SELECT id, name, group_key FROM statuses WHERE id = ? "
                                                              "OR name = ?"));
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.addBindValue(toStatusId);
    q.addBindValue(fromStatus);
    if (auto r = exec(q, "status groups"); !r)
        return r.error();
    bool toClosed = false;
    bool fromClosed = false;
    while (q.next()) {
        const bool closed = q.value(2).toString() == u"closed";
        if (q.value(0).toLongLong() == toStatusId)
            toClosed = closed;
        if (q.value(1).toString() == fromStatus)
            fromClosed = closed;
    }
    q.finish();
    return toClosed && !fromClosed;
}

Result<OrderStore::StatusRef> OrderStore::defaultStatusFor(const domain::Order &order)
{
    const QString group = order.marketplaceStatus == u"CANCELLED" ? QStringLiteral("cancelled") : QStringLiteral("new");
    const QString cacheKey = u"#default:" + group;
    if (auto it = m_statusCache.constFind(cacheKey); it != m_statusCache.constEnd())
        return *it;
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("SELECT id, name FROM statuses ORDER BY CASE WHEN group_key = ? THEN 0 "
                             "WHEN group_key = 'new' THEN 1 ELSE 2 END, position, id"));
    q.addBindValue(group);
    if (auto r = exec(q, "default status"); !r)
        return r.error();
    if (!q.next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "No order statuses are defined; add one first."));
    StatusRef ref{q.value(0).toLongLong(), q.value(1).toString()};
    m_statusCache.insert(cacheKey, ref);
    return ref;
}

Result<qint64> OrderStore::tagId(const QString &name)
{
    if (auto it = m_tagCache.constFind(name); it != m_tagCache.constEnd())
        return *it;
    QSqlDatabase db = m_db->connection();
    QSqlQuery find(db);
    find.prepare(QStringLiteral("SELECT id FROM tags WHERE name = ?"));
    find.addBindValue(name);
    if (auto r = exec(find, "find tag"); !r)
        return r.error();
    qint64 id = 0;
    if (find.next()) {
        id = find.value(0).toLongLong();
    } else {
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO tags (name) VALUES (?) RETURNING id"));
        insert.addBindValue(name);
        if (auto r = exec(insert, "add tag"); !r)
            return r.error();
        if (!insert.next())
            return toError(insert.lastError(), "add tag id");
        id = insert.value(0).toLongLong();
    }
    // Not cached before the commit: a rolled-back insert would leave a stale id behind.
    if (m_db->transactionDepth() == 0)
        m_tagCache.insert(name, id);
    return id;
}

Result<void> OrderStore::writeRow(Order &order, const StatusRef &status, bool insert)
{
    const char *what = insert ? "insert order" : "update order";
    sqlite3_stmt *native = m_db->nativeCached(what, insert ? kInsertOrderSql : kUpdateOrderSql);
    QSqlQuery *query = nullptr;
    if (!native) {
        // PostgreSQL has no rowid to ask for afterwards: the insert returns the id.
        static const QString insertSql = QString::fromLatin1(kInsertOrderSql) + u" RETURNING id";
        static const QString updateSql = QString::fromLatin1(kUpdateOrderSql);
        auto cached = m_db->cached(what, insert ? insertSql : updateSql);
        if (!cached)
            return cached.error();
        query = *cached;
    }
    const QString buyerName = order.buyer.displayName();
    const QString paymentStatus = domain::paymentStatusKey(order.payment.status);
    // The row holds the rest. One buffer per thread: a fresh 5 KB one per order cost more than writing into it.
    thread_local QByteArray t_doc;
    t_doc.resize(0);
    order.appendCompactJson(t_doc, Order::JsonFields::Details);
    const QByteArray &doc = t_doc;
    SqlBinder b(native, query);
    b.text(order.marketplace);
    b.text(order.account);
    b.textOrNull(order.externalId);
    b.text(order.revision);
    b.integer(status.id);
    b.text(order.marketplaceStatus);
    b.text(order.fulfillmentStatus);
    b.text(order.buyer.login);
    b.text(order.buyer.email);
    b.text(buyerName);
    b.integer(order.total.minor());
    b.text(order.total.currency());
    b.text(order.payment.method);
    b.text(paymentStatus);
    b.text(order.delivery.methodName);
    b.integer(order.invoice.wanted ? 1 : 0);
    b.integer(order.itemCount());
    b.integer(order.createdAt.toMSecsSinceEpoch());
    b.integer(order.updatedAt.toMSecsSinceEpoch());
    b.timeOrNull(order.marketplaceUpdatedAt);
    b.document(doc, m_db->isPostgres());
    // The filter columns of schema 6 (see OrderQuery::Filter).
    b.text(OrderQuery::deliveryCountryOf(order));
    b.integer(order.buyerComment.isEmpty() ? 0 : 1);
    b.text(OrderQuery::referrersColumn(order.referrers));
    if (!insert)
        b.integer(order.id);
    if (native) {
        auto rowid = m_db->step(native, what);
        if (!rowid)
            return rowid.error();
        if (insert)
            order.id = *rowid;
        return {};
    }
    QSqlQuery &q = *query;
    if (auto r = exec(q, what); !r)
        return r;
    if (insert) {
        if (!q.next())
            return toError(q.lastError(), "insert order id");
        order.id = q.value(0).toLongLong();
        q.finish();
    }
    return {};
}

Result<void> OrderStore::writeItems(const Order &order, bool replace)
{
    if (replace) {
        auto del = m_db->cached("delete items", QStringLiteral("DELETE FROM order_items WHERE order_id = ?"));
        if (!del)
            return del.error();
        (*del)->addBindValue(order.id);
        if (auto r = exec(**del, "delete items"); !r)
            return r;
    }
    sqlite3_stmt *native = m_db->nativeCached("insert item", kInsertItemSql);
    QSqlQuery *query = nullptr;
    if (!native) {
        auto cached = m_db->cached("insert item", QString::fromLatin1(kInsertItemSql));
        if (!cached)
            return cached.error();
        query = *cached;
    }
    for (qsizetype i = 0; i < order.items.size(); ++i) {
        const domain::LineItem &item = order.items.at(i);
        SqlBinder b(native, query);
        b.integer(order.id);
        b.integer(i);
        b.text(item.offerId);
        b.text(item.name);
        b.text(item.sku);
        b.text(item.ean);
        b.integer(item.quantity);
        b.integer(item.unitPrice.minor());
        if (native) {
            if (auto r = m_db->step(native, "insert item"); !r)
                return r.error();
        } else if (auto r = exec(*query, "insert item"); !r) {
            return r;
        }
    }
    return {};
}

Result<void> OrderStore::writeTags(const Order &order, bool replace)
{
    QSqlDatabase db = m_db->connection();
    if (replace) {
        QSqlQuery del(db);
        del.prepare(QStringLiteral("DELETE FROM order_tags WHERE order_id = ?"));
        del.addBindValue(order.id);
        if (auto r = exec(del, "delete order tags"); !r)
            return r;
    }
    for (const QString &tag : QSet<QString>(order.tags.begin(), order.tags.end())) {
        auto id = tagId(tag);
        if (!id)
            return id.error();
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO order_tags (order_id, tag_id) VALUES (?, ?)"));
        insert.addBindValue(order.id);
        insert.addBindValue(*id);
        if (auto r = exec(insert, "add order tag"); !r)
            return r;
    }
    return {};
}

Result<void> OrderStore::lockEventOrder()
{
    if (!m_db->isPostgres())
        return {};
    QSqlQuery lock(m_db->connection());
    if (!lock.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kEventLockKey)))
        return toError(lock.lastError(), "event lock");
    return {};
}

Result<qint64> OrderStore::recordEvent(const char *type, qint64 orderId, const QJsonObject &payload,
                                       const ChangeContext &ctx)
{
    return recordEvent(type, orderId, payload, ctx, {}, {}, {});
}

Result<qint64> OrderStore::recordEvent(const char *type, qint64 orderId, const QJsonObject &payload,
                                       const ChangeContext &ctx, const QString &field, const QString &oldValue,
                                       const QString &newValue)
{
    Transaction transaction(*m_db, "record event");
    if (!transaction.started())
        return transaction.started().error();
    if (auto r = lockEventOrder(); !r)
        return r.error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto id = writeEvent(type, orderId, QJsonDocument(payload).toJson(QJsonDocument::Compact), ctx, now);
    if (!id)
        return id.error();
    if (!field.isEmpty()) {
        if (auto r = writeHistory(orderId, *id, now, ctx.actor, field, oldValue, newValue); !r)
            return r.error();
    }
    if (auto r = transaction.commit(); !r)
        return r.error();
    return *id;
}

Result<qint64> OrderStore::writeEvent(const char *type, qint64 orderId, const QByteArray &payload,
                                      const ChangeContext &ctx, qint64 now)
{
    sqlite3_stmt *native = m_db->nativeCached("insert event", kInsertEventSql);
    QSqlQuery *query = nullptr;
    if (!native) {
        auto cached = m_db->cached("insert event", QString::fromLatin1(kInsertEventSql) + u" RETURNING id");
        if (!cached)
            return cached.error();
        query = *cached;
    }
    const QString typeText = QString::fromLatin1(type);
    SqlBinder b(native, query);
    b.text(typeText);
    b.integer(orderId);
    b.utf8(payload);
    b.integer(ctx.causeDepth);
    b.text(ctx.actor);
    b.integer(now);
    if (native)
        return m_db->step(native, "insert event");
    QSqlQuery &q = *query;
    if (auto r = exec(q, "insert event"); !r)
        return r.error();
    if (!q.next())
        return toError(q.lastError(), "insert event id");
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    return id;
}

Result<void> OrderStore::writeHistory(qint64 orderId, qint64 eventId, qint64 now, const QString &actor,
                                      const QString &field, const QString &oldValue, const QString &newValue)
{
    sqlite3_stmt *native = m_db->nativeCached("insert history", kInsertHistorySql);
    QSqlQuery *query = nullptr;
    if (!native) {
        auto cached = m_db->cached("insert history", QString::fromLatin1(kInsertHistorySql));
        if (!cached)
            return cached.error();
        query = *cached;
    }
    SqlBinder b(native, query);
    b.integer(orderId);
    b.integer(eventId);
    b.integer(now);
    b.text(actor);
    b.text(field);
    b.text(oldValue);
    b.text(newValue);
    // Every row names who was logged in and where, whatever the actor (a rule, an import, a person).
    b.text(access::Session::currentUserName());
    b.text(access::Session::workstation());
    if (native) {
        if (auto r = m_db->step(native, "insert history"); !r)
            return r.error();
        return {};
    }
    return exec(*query, "insert history");
}

Result<ChangeResult> OrderStore::apply(const OrderChange &change)
{
    if (change.context.actor.isEmpty())
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::storage", "A change to an order must say who makes it."));

    Transaction transaction(*m_db, "apply order change");
    if (!transaction.started())
        return transaction.started().error();

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QDateTime nowTime = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
    ChangeResult result;
    Order after;
    Order before;

    if (change.kind == OrderChange::Kind::Create) {
        after = change.order;
        after.id = 0;
        if (after.status.isEmpty()) {
            auto ref = defaultStatusFor(after);
            if (!ref)
                return ref.error();
            after.status = ref->name;
        }
        if (!after.createdAt.isValid())
            after.createdAt = nowTime;
    } else {
        auto loaded = load(change.orderId);
        if (!loaded)
            return loaded.error();
        before = *loaded;
        after = before;
        if (change.mutate) {
            if (auto r = change.mutate(after); !r)
                return r.error();
        }
        after.id = before.id;
    }

    if (auto r = after.validate(); !r)
        return r.error();
    auto status = statusRef(after.status);
    if (!status)
        return status.error();
    // E4: moving into the closed ("completed") group asks the loss guard, whoever makes the change.
    if (change.kind == OrderChange::Kind::Update && after.status != before.status) {
        // The window, the CLI, bulk actions and the packing station all come here: a role without "change status"
        // is refused whatever asked (the rules and imports pass, see access::require).
        if (auto r = access::require(access::Permission::ChangeStatus, change.context.actor); !r)
            return r.error();
        auto closing = entersClosedGroup(before.status, status->id);
        if (!closing)
            return closing.error();
        if (*closing)
            if (auto r = money::LossGuard::checkCompletion(m_db, after, change.context); !r)
                return r.error();
    }

    if (change.kind == OrderChange::Kind::Update) {
        const auto oldFields = before.fields();
        const auto newFields = after.fields();
        QHash<QString, QString> oldMap;
        oldMap.reserve(oldFields.size());
        for (const auto &[key, value] : oldFields)
            oldMap.insert(key, value);
        QSet<QString> seen;
        QList<std::tuple<QString, QString, QString>> diffs;
        for (const auto &[key, value] : newFields) {
            seen.insert(key);
            const auto it = oldMap.constFind(key);
            const QString old = it == oldMap.constEnd() ? QString() : *it;
            if (old != value)
                diffs.append({key, old, value});
        }
        for (const auto &[key, value] : oldFields) {
            if (!seen.contains(key) && !value.isEmpty())
                diffs.append({key, value, QString()});
        }
        if (diffs.isEmpty()) {
            result.orderId = before.id;
            return result; // nothing changed: nothing is written, no history, no event
        }
        for (const auto &diff : diffs)
            result.changedFields.append(std::get<0>(diff));

        // updated_at moves forward with every change, even two within one millisecond, so whatever is keyed on it
        // (the cached profit) sees each change.
        after.updatedAt =
            before.updatedAt.isValid() && before.updatedAt >= nowTime ? before.updatedAt.addMSecs(1) : nowTime;
        if (result.changedFields.contains(u"status"_qs))
            after.statusChangedAt = nowTime;
        if (!after.shippedAt.isValid() && after.isShipped() && !before.isShipped())
            after.shippedAt = nowTime;
        if (auto r = writeRow(after, *status, false); !r)
            return r.error();
        if (anyStartsWith(result.changedFields, u"items"))
            if (auto r = writeItems(after, true); !r)
                return r.error();
        if (result.changedFields.contains(u"tags"_qs))
            if (auto r = writeTags(after, true); !r)
                return r.error();

        if (auto r = lockEventOrder(); !r)
            return r.error();
        const QJsonObject payload{{u"orderId"_qs, after.id},
                                  {u"fields"_qs, QJsonArray::fromStringList(result.changedFields)},
                                  {u"reason"_qs, change.context.reason}};
        auto umbrella = writeEvent(EventType::kOrderUpdated, after.id,
                                   QJsonDocument(payload).toJson(QJsonDocument::Compact), change.context, now);
        if (!umbrella)
            return umbrella.error();
        result.eventIds.append(*umbrella);

        for (const auto &[field, oldValue, newValue] : diffs) {
            if (auto r = writeHistory(after.id, *umbrella, now, change.context.actor, field, oldValue, newValue); !r)
                return r.error();
        }

        auto specific = [&](const char *type, QJsonObject extra) -> Result<void> {
            extra.insert(u"orderId"_qs, after.id);
            extra.insert(u"reason"_qs, change.context.reason);
            auto id =
                writeEvent(type, after.id, QJsonDocument(extra).toJson(QJsonDocument::Compact), change.context, now);
            if (!id)
                return id.error();
            result.eventIds.append(*id);
            return {};
        };
        if (result.changedFields.contains(u"status"_qs))
            if (auto r = specific(EventType::kStatusChanged, {{u"from"_qs, before.status}, {u"to"_qs, after.status}});
                !r)
                return r.error();
        if (result.changedFields.contains(u"payment.status"_qs) ||
            result.changedFields.contains(u"payment.paidAmount"_qs))
            if (auto r =
                    specific(EventType::kPaymentChanged, {{u"from"_qs, domain::paymentStatusKey(before.payment.status)},
                                                          {u"to"_qs, domain::paymentStatusKey(after.payment.status)}});
                !r)
                return r.error();
        if (anyStartsWith(result.changedFields, u"delivery.address") ||
            anyStartsWith(result.changedFields, u"delivery.pickupPoint"))
            if (auto r = specific(EventType::kDeliveryChanged, {}); !r)
                return r.error();
        if (result.changedFields.contains(u"marketplaceStatus"_qs) && after.marketplaceStatus == u"CANCELLED")
            if (auto r = specific(EventType::kOrderCancelled, {{u"by"_qs, u"marketplace"_qs}}); !r)
                return r.error();
        if (after.shippedAt.isValid() && !before.shippedAt.isValid())
            if (auto r = specific(EventType::kOrderShipped, {}); !r)
                return r.error();
        for (qsizetype i = 0; i < after.shipments.size(); ++i) {
            const domain::Shipment &shipment = after.shipments.at(i);
            if (!result.changedFields.contains(u"shipments[" + QString::number(i) + u"].status"))
                continue;
            const QString from = i < before.shipments.size() ? before.shipments.at(i).status : QString();
            if (auto r = specific(EventType::kShipmentStatusChanged, {{u"carrierId"_qs, shipment.carrierId},
                                                                      {u"waybill"_qs, shipment.waybill},
                                                                      {u"from"_qs, from},
                                                                      {u"to"_qs, shipment.status}});
                !r)
                return r.error();
        }
    } else {
        after.updatedAt = nowTime;
        if (auto r = writeRow(after, *status, true); !r)
            return r.error();
        if (auto r = writeItems(after, false); !r)
            return r.error();
        if (!after.tags.isEmpty())
            if (auto r = writeTags(after, false); !r)
                return r.error();
        if (auto r = lockEventOrder(); !r)
            return r.error();
        // The payload QJsonDocument would write (keys in its sorted order), without building one per order.
        QByteArray payload;
        payload.reserve(160);
        payload += "{\"externalId\":";
        util::appendJsonString(payload, after.externalId);
        payload += ",\"marketplace\":";
        util::appendJsonString(payload, after.marketplace);
        payload += ",\"orderId\":";
        payload += QByteArray::number(after.id);
        payload += ",\"reason\":";
        util::appendJsonString(payload, change.context.reason);
        payload += ",\"status\":";
        util::appendJsonString(payload, after.status);
        payload += '}';
        auto event = writeEvent(EventType::kOrderCreated, after.id, payload, change.context, now);
        if (!event)
            return event.error();
        result.eventIds.append(*event);
        static const QString kOrderField = QStringLiteral("order");
        static const QString kCreated = QStringLiteral("created");
        if (auto r = writeHistory(after.id, *event, now, change.context.actor, kOrderField, QString(),
                                  change.context.reason.isEmpty() ? kCreated : change.context.reason);
            !r)
            return r.error();
        result.created = true;
        result.changedFields.append(u"order"_qs);
    }

    // Other workstations' lists refresh on this (OrderChangeListener); PostgreSQL delivers it at the outermost commit
    // and folds repeats, so one per transaction: the first change in it, the one that queues the signal flush.
    if (m_db->isPostgres() && !m_flushQueued) {
        // pg_notify, not NOTIFY: a statement kept prepared cannot be a NOTIFY.
        auto notify = m_db->cached(
            "notify orders",
            QStringLiteral("SELECT pg_notify('%1', '')").arg(QLatin1StringView(OrderChangeListener::kChannel)));
        if (!notify)
            return notify.error();
        if (auto r = exec(**notify, "notify orders"); !r)
            return r.error();
        (*notify)->finish();
    }
    if (auto r = transaction.commit(); !r)
        return r.error();
    result.orderId = after.id;
    m_pendingSignal.append(after.id);
    if (!m_flushQueued) {
        m_flushQueued = true;
        m_db->afterTransaction([self = QPointer<OrderStore>(this)](bool committed) {
            if (!self)
                return;
            self->m_flushQueued = false;
            if (committed)
                self->flushSignals();
            else
                self->m_pendingSignal.clear();
        });
    }
    return result;
}

void OrderStore::flushSignals()
{
    if (m_pendingSignal.isEmpty())
        return;
    const QList<qint64> ids = std::exchange(m_pendingSignal, {});
    Q_EMIT ordersChanged(ids);
}

Result<Order> OrderStore::load(qint64 id)
{
    // The document holds what the columns do not (Order::JsonFields::Details); documents written before that
    // hold everything, and the columns, being the same, change nothing.
    auto query = m_db->cached(
        "load order", QStringLiteral("SELECT o.doc, s.name, o.updated_at, o.marketplace, o.account, o.external_id, "
                                     "o.revision, o.marketplace_status, o.fulfillment_status, o.buyer_login, "
                                     "o.buyer_email, o.total_minor, o.currency, o.payment_method, o.payment_status, "
                                     "o.delivery_method, o.created_at, o.marketplace_updated_at FROM orders o "
                                     "JOIN statuses s ON s.id = o.status_id WHERE o.id = ?"));
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.addBindValue(id);
    if (auto r = exec(q, "load order"); !r)
        return r.error();
    if (!q.next()) {
        q.finish();
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "There is no order %1.").arg(id));
    }
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(q.value(0).toByteArray(), &parseError);
    if (!json.isObject()) {
        q.finish();
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::storage", "Order %1 is damaged in the database.").arg(id),
                         parseError.errorString());
    }
    auto order = Order::fromJson(json.object());
    if (!order) {
        q.finish();
        return order.error();
    }
    order->id = id;
    order->status = q.value(1).toString(); // the row is the truth: a renamed status shows its new name
    order->updatedAt = timeFrom(q.value(2));
    order->marketplace = q.value(3).toString();
    order->account = q.value(4).toString();
    order->externalId = q.value(5).toString();
    order->revision = q.value(6).toString();
    order->marketplaceStatus = q.value(7).toString();
    order->fulfillmentStatus = q.value(8).toString();
    order->buyer.login = q.value(9).toString();
    order->buyer.email = q.value(10).toString();
    const QString currency = q.value(12).toString();
    order->total = domain::Money(q.value(11).toLongLong(), currency);
    order->payment.method = q.value(13).toString();
    order->payment.status =
        domain::paymentStatusFromKey(q.value(14).toString()).value_or(domain::PaymentStatus::Unpaid);
    order->delivery.methodName = q.value(15).toString();
    order->createdAt = timeFrom(q.value(16));
    order->marketplaceUpdatedAt = timeFrom(q.value(17));
    q.finish();

    auto items = m_db->cached("load items", QStringLiteral("SELECT position, offer_id, name, sku, ean, quantity, "
                                                           "unit_price_minor FROM order_items WHERE order_id = ? "
                                                           "ORDER BY position"));
    if (!items)
        return items.error();
    QSqlQuery &i = **items;
    i.addBindValue(id);
    if (auto r = exec(i, "load items"); !r)
        return r.error();
    // Each row fills the document's item at its place (which keeps what the row has no column for).
    QList<domain::LineItem> lines;
    while (i.next()) {
        const qsizetype position = i.value(0).toLongLong();
        domain::LineItem item =
            position >= 0 && position < order->items.size() ? order->items.at(position) : domain::LineItem();
        item.offerId = i.value(1).toString();
        item.name = i.value(2).toString();
        item.sku = i.value(3).toString();
        item.ean = i.value(4).toString();
        item.quantity = i.value(5).toInt();
        item.unitPrice = domain::Money(i.value(6).toLongLong(), currency);
        lines.append(item);
    }
    i.finish();
    order->items = lines;
    return order;
}

Result<std::optional<qint64>> OrderStore::findByExternal(const QString &marketplace, const QString &account,
                                                         const QString &externalId)
{
    auto found = revisionByExternal(marketplace, account, externalId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return std::optional<qint64>();
    return std::optional<qint64>((*found)->first);
}

Result<std::optional<QPair<qint64, QString>>>
OrderStore::revisionByExternal(const QString &marketplace, const QString &account, const QString &externalId)
{
    static constexpr char kSql[] = "SELECT id, revision FROM orders WHERE marketplace = ? AND account = ? "
                                   "AND external_id = ?";
    // Asked once for every imported order: on SQLite through the native statement (QtSql's binding and
    // result reading cost more than the indexed lookup).
    if (sqlite3_stmt *native = m_db->nativeCached("order by external", kSql)) {
        SqlBinder b(native, nullptr);
        b.text(marketplace);
        b.text(account);
        b.text(externalId);
        auto row = m_db->stepRow(native, "order by external");
        if (!row)
            return row.error();
        std::optional<QPair<qint64, QString>> found;
        if (*row) {
            const auto *revision = static_cast<const char16_t *>(sqlite3_column_text16(native, 1));
            found = QPair<qint64, QString>(sqlite3_column_int64(native, 0),
                                           QString::fromUtf16(revision, sqlite3_column_bytes16(native, 1) / 2));
            sqlite3_reset(native);
        }
        return found;
    }
    auto query = m_db->cached("order by external", QString::fromLatin1(kSql));
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.addBindValue(notNullText(marketplace));
    q.addBindValue(notNullText(account));
    q.addBindValue(notNullText(externalId));
    if (auto r = exec(q, "order by external"); !r)
        return r.error();
    std::optional<QPair<qint64, QString>> found;
    if (q.next())
        found = QPair<qint64, QString>(q.value(0).toLongLong(), q.value(1).toString());
    q.finish();
    return found;
}

Result<qint64> OrderStore::resolve(const QString &idOrExternal)
{
    const QString text = idOrExternal.trimmed();
    if (text.isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::storage", "No order id was given."));
    QSqlDatabase db = m_db->connection();
    bool numeric = false;
    const qint64 number = text.toLongLong(&numeric);
    if (numeric) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT id FROM orders WHERE id = ?"));
        q.addBindValue(number);
        if (auto r = exec(q, "resolve id"); !r)
            return r.error();
        if (q.next())
            return q.value(0).toLongLong();
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM orders WHERE external_id = ? LIMIT 2"));
    q.addBindValue(text);
    if (auto r = exec(q, "resolve external id"); !r)
        return r.error();
    QList<qint64> ids;
    while (q.next())
        ids.append(q.value(0).toLongLong());
    if (ids.isEmpty())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "There is no order %1.").arg(text));
    if (ids.size() > 1)
        return makeError(
            Error::Code::Conflict,
            QCoreApplication::translate(
                "sd::storage",
                "The marketplace id %1 belongs to orders of several accounts; use the SellerDesk order number.")
                .arg(text));
    return ids.constFirst();
}

Result<QList<OrderSummary>> OrderStore::list(const OrderFilter &filter)
{
    OrderQuery::Filter query;
    query.search = filter.search;
    if (!filter.status.isEmpty()) {
        auto status = statusRef(filter.status);
        if (!status)
            return status.error();
        query.statusId = status->id;
    }
    return OrderQuery(m_db).page(query, std::nullopt, filter.limit > 0 ? filter.limit : 100);
}

Result<qint64> OrderStore::count()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM orders")) || !q.next())
        return toError(q.lastError(), "count orders");
    return q.value(0).toLongLong();
}

Result<QList<HistoryEntry>> OrderStore::history(qint64 orderId)
{
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("SELECT id, event_id, at, actor, field, old_value, new_value, user_name, workstation FROM "
                             "order_history "
                             "WHERE order_id = ? ORDER BY id"));
    q.addBindValue(orderId);
    if (auto r = exec(q, "order history"); !r)
        return r.error();
    QList<HistoryEntry> list;
    while (q.next()) {
        list.append({q.value(0).toLongLong(), q.value(1).toLongLong(), timeFrom(q.value(2)), q.value(3).toString(),
                     q.value(4).toString(), q.value(5).toString(), q.value(6).toString(), q.value(7).toString(),
                     q.value(8).toString()});
    }
    return list;
}

Result<QList<EventRecord>> OrderStore::eventsAfter(qint64 afterId, int limit)
{
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("SELECT id, type, order_id, payload, cause_depth, actor, created_at FROM events "
                             "WHERE id > ? ORDER BY id LIMIT ?"));
    q.addBindValue(afterId);
    q.addBindValue(limit);
    if (auto r = exec(q, "events after"); !r)
        return r.error();
    QList<EventRecord> list;
    while (q.next()) {
        EventRecord e;
        e.id = q.value(0).toLongLong();
        e.type = q.value(1).toString();
        e.orderId = q.value(2).toLongLong();
        e.payload = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
        e.causeDepth = q.value(4).toInt();
        e.actor = q.value(5).toString();
        e.createdAt = timeFrom(q.value(6));
        list.append(e);
    }
    return list;
}

} // namespace sd::storage
