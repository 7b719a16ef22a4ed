#include "inventory/reservations.h"

#include "automation/sqlrun.h"
#include "domain/ean.h"
#include "inventory/inventorysettings.h"
#include "inventory/stocksync.h"
#include "storage/sqlquery.h"

#include <QHash>
#include <QLoggingCategory>
#include <QSet>

namespace sd::inventory {

using automation::runSql;

Q_LOGGING_CATEGORY(lcInventory, "sd.inventory")

Result<QList<LineStock>> lineStock(InventoryStore &inventory, const domain::Order &order)
{
    QStringList offerIds;
    QStringList skus;
    QStringList eans;
    QList<QString> itemEans;
    for (const domain::LineItem &item : order.items) {
        if (!item.offerId.isEmpty())
            offerIds.append(item.offerId);
        if (!item.sku.trimmed().isEmpty())
            skus.append(item.sku.trimmed());
        // Products keep the EAN as Ean::parse normalises it (digits only); an order may write it with spaces.
        const auto ean = domain::Ean::parse(item.ean);
        itemEans.append(ean ? ean->code() : QString());
        if (ean)
            eans.append(ean->code());
    }
    QList<LineStock> lines(order.items.size());
    if (offerIds.isEmpty() && skus.isEmpty() && eans.isEmpty())
        return lines;
    auto placeholders = [](const QStringList &values) {
        return values.isEmpty() ? u"NULL"_qs : QStringList(values.size(), u"?"_qs).join(u", ");
    };
    // One statement for the whole order: the candidate products (by offer link, SKU or EAN), their links to the
    // order's offers, their level per warehouse and what open orders reserve of them.
    const QString sql =
        u"SELECT p.id, p.sku, p.ean, COALESCE(m.offer_id, ''), COALESCE(CAST(m.account_id AS TEXT), ''), "
        "COALESCE(w.id, 0), COALESCE(w.code, ''), COALESCE(l.quantity, 0), "
        "(SELECT COALESCE(SUM(r.quantity), 0) FROM stock_reservations r WHERE r.product_id = p.id) "
        "FROM products p "
        "LEFT JOIN marketplace_offers m ON m.product_id = p.id AND m.offer_id IN (%1) "
        "LEFT JOIN stock_levels l ON l.product_id = p.id "
        "LEFT JOIN warehouses w ON w.id = l.warehouse_id "
        "WHERE p.id IN (SELECT id FROM products WHERE sku IN (%2) UNION SELECT id FROM products WHERE ean IN (%3) "
        "UNION SELECT product_id FROM marketplace_offers WHERE offer_id IN (%1) AND product_id IS NOT NULL) "
        "ORDER BY p.id, w.is_default DESC, w.code"_qs.arg(placeholders(offerIds), placeholders(skus),
                                                          placeholders(eans));
    auto q = storage::prepare(inventory.database().connection(), sql, "order line stock");
    if (!q)
        return q.error();
    for (const QStringList *values : {&offerIds, &skus, &eans, &offerIds})
        for (const QString &v : *values)
            q->addBindValue(v);
    if (auto r = storage::exec(*q, "order line stock"); !r)
        return r.error();
    QHash<qint64, LineStock> products;
    QHash<QString, qint64> bySku;
    QHash<QString, qint64> byEan;
    QHash<QString, qint64> byOffer;      // a link of the order's own account
    QHash<QString, qint64> byOtherOffer; // a link of another account
    QSet<QPair<qint64, qint64>> seenLevels;
    while (q->next()) {
        const qint64 id = q->value(0).toLongLong();
        LineStock &p = products[id];
        if (!p.productId) {
            p.productId = id;
            p.sku = q->value(1).toString();
            p.reserved = q->value(8).toInt();
            bySku.insert(p.sku, id);
            const QString ean = q->value(2).toString();
            if (!ean.isEmpty() && !byEan.contains(ean))
                byEan.insert(ean, id);
        }
        const QString offer = q->value(3).toString();
        if (!offer.isEmpty())
            (q->value(4).toString() == order.account ? byOffer : byOtherOffer).insert(offer, id);
        const qint64 warehouse = q->value(5).toLongLong();
        if (warehouse && !seenLevels.contains({id, warehouse})) {
            seenLevels.insert({id, warehouse});
            p.warehouses.append({warehouse, q->value(6).toString(), q->value(7).toInt()});
            p.total += q->value(7).toInt();
        }
    }
    // The offer's link first, then the SKU, then the EAN.
    for (qsizetype i = 0; i < order.items.size(); ++i) {
        const domain::LineItem &item = order.items.at(i);
        qint64 id = byOffer.value(item.offerId, byOtherOffer.value(item.offerId));
        if (!id)
            id = bySku.value(item.sku.trimmed());
        if (!id && !itemEans.at(i).isEmpty())
            id = byEan.value(itemEans.at(i));
        if (id)
            lines[i] = products.value(id);
    }
    return lines;
}

Result<QList<qint64>> matchItems(InventoryStore &inventory, const domain::Order &order)
{
    auto lines = lineStock(inventory, order);
    if (!lines)
        return lines.error();
    QList<qint64> ids;
    for (const LineStock &line : std::as_const(*lines))
        ids.append(line.productId);
    return ids;
}

namespace {

// Needed quantity per product.
Result<QHash<qint64, int>> needs(InventoryStore &inventory, const domain::Order &order)
{
    auto ids = matchItems(inventory, order);
    if (!ids)
        return ids.error();
    QHash<qint64, int> need;
    for (qsizetype i = 0; i < ids->size(); ++i) {
        if (ids->at(i))
            need[ids->at(i)] += order.items.at(i).quantity;
    }
    return need;
}

QString issueKey(qint64 orderId)
{
    return u"order:%1/issue"_qs.arg(orderId);
}

} // namespace

Reservations::Reservations(InventoryStore &inventory)
    : m_inventory(inventory)
{}

Result<QString> Reservations::statusGroup(const QString &status)
{
    auto q =
        runSql(m_inventory.database(), u"SELECT group_key FROM statuses WHERE name = ?"_qs, "status group", {status});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

Result<void> Reservations::reserve(const domain::Order &order)
{
    auto wasIssued = issued(order.id);
    if (!wasIssued)
        return wasIssued.error();
    if (*wasIssued)
        return {};
    auto need = needs(m_inventory, order);
    if (!need)
        return need.error();
    auto cleared = runSql(m_inventory.database(), u"DELETE FROM stock_reservations WHERE order_id = ?"_qs,
                          "clear reservation", {order.id});
    if (!cleared)
        return cleared.error();
    const bool hadAny = cleared->numRowsAffected() > 0;
    for (auto it = need->cbegin(); it != need->cend(); ++it) {
        if (auto r = runSql(m_inventory.database(),
                            u"INSERT INTO stock_reservations (order_id, product_id, quantity) VALUES (?, ?, ?)"_qs,
                            "reserve", {order.id, it.key(), it.value()});
            !r)
            return r.error();
    }
    return need->isEmpty() && !hadAny ? Result<void>() : StockSync::request(m_inventory.orders().sharedDatabase());
}

Result<bool> Reservations::issued(qint64 orderId)
{
    auto q = runSql(m_inventory.database(), u"SELECT 1 FROM stock_documents WHERE source_key = ?"_qs, "order issued",
                    {issueKey(orderId)});
    if (!q)
        return q.error();
    return q->next();
}

Result<void> Reservations::release(qint64 orderId)
{
    auto r =
        runSql(m_inventory.database(), u"DELETE FROM stock_reservations WHERE order_id = ?"_qs, "release", {orderId});
    if (!r)
        return r.error();
    return r->numRowsAffected() > 0 ? StockSync::request(m_inventory.orders().sharedDatabase()) : Result<void>();
}

Result<void> Reservations::issue(const domain::Order &order, const QString &author)
{
    auto need = needs(m_inventory, order);
    if (!need)
        return need.error();
    if (need->isEmpty())
        return release(order.id);
    DocumentRequest request;
    request.kind = DocumentKind::Issue;
    request.author = author;
    request.orderId = order.id;
    request.sourceKey = issueKey(order.id);
    request.note = tr("Order %1").arg(order.externalId.isEmpty() ? QString::number(order.id) : order.externalId);
    // From the default warehouse first, then from those holding the most.
    for (auto it = need->cbegin(); it != need->cend(); ++it) {
        auto q = runSql(m_inventory.database(),
                        u"SELECT l.warehouse_id, l.quantity FROM stock_levels l JOIN warehouses w ON w.id = "
                        "l.warehouse_id WHERE l.product_id = ? AND l.quantity > 0 ORDER BY w.is_default DESC, "
                        "l.quantity DESC"_qs,
                        "issue from", {it.key()});
        if (!q)
            return q.error();
        int left = it.value();
        qint64 lastWarehouse = 0;
        while (left > 0 && q->next()) {
            const int take = qMin(left, q->value(1).toInt());
            lastWarehouse = q->value(0).toLongLong();
            request.lines.append({it.key(), lastWarehouse, 0, take});
            left -= take;
        }
        if (left > 0) {
            // Not enough anywhere: the line asks for the rest from the default warehouse, which post() refuses
            // with its clear message.
            auto w = m_inventory.defaultWarehouse();
            if (!w)
                return w.error();
            request.lines.append({it.key(), w->id, 0, left});
        }
    }
    auto document = m_inventory.post(request);
    if (!document)
        return document.error();
    return release(order.id);
}

Result<void> Reservations::handle(const storage::EventRecord &event)
{
    const bool created = event.type == QLatin1StringView(storage::EventType::kOrderCreated);
    const bool status = event.type == QLatin1StringView(storage::EventType::kStatusChanged);
    const bool cancelled = event.type == QLatin1StringView(storage::EventType::kOrderCancelled);
    // Items edited by hand or by the marketplace's update: the reservation is made again from the new items.
    bool items = false;
    if (event.type == QLatin1StringView(storage::EventType::kOrderUpdated))
        for (const QJsonValue &field : event.payload.value(u"fields").toArray())
            items = items || field.toString().startsWith(u"items");
    if (!created && !status && !cancelled && !items)
        return {};
    if (cancelled)
        return release(event.orderId);
    auto order = m_inventory.orders().load(event.orderId);
    if (!order)
        return order.error().code == Error::Code::NotFound ? Result<void>() : Result<void>(order.error());
    auto group = statusGroup(status ? event.payload.value(u"to").toString() : order->status);
    if (!group)
        return group.error();
    if (*group == u"cancelled" || (created && order->marketplaceStatus == u"CANCELLED"))
        return release(order->id);
    if (items && (*group == u"shipped" || order->marketplaceStatus == u"CANCELLED"))
        return {}; // gone or released: an edit does not bring the reservation back
    if (*group == u"shipped")
        return issue(*order, event.actor);
    return reserve(*order);
}

Result<int> Reservations::follow(int limit)
{
    storage::Database &db = m_inventory.database();
    auto cursor = runSql(db, u"SELECT value FROM automation_state WHERE name = ?"_qs, "reservation cursor",
                         {QString::fromLatin1(kCursor)});
    if (!cursor)
        return cursor.error();
    if (!cursor->next())
        return 0; // no product yet: nothing to reserve (InventoryStore::addProduct starts the cursor)
    const qint64 after = cursor->value(0).toLongLong();
    qint64 position = after;
    cursor->finish();
    auto events = m_inventory.orders().eventsAfter(after, limit);
    if (!events)
        return events.error();
    for (const storage::EventRecord &event : std::as_const(*events)) {
        storage::Transaction tx(db, "follow order event");
        if (!tx.started())
            return tx.started().error();
        if (auto r = handle(event); !r) {
            if (r.error().code != Error::Code::Invalid)
                return r.error();
            // Not enough stock to issue: the order keeps its reservation, the event says why, and the cursor
            // moves on (a receipt and a new status change issue it).
            qCWarning(lcInventory) << "order" << event.orderId << r.error().text();
            if (auto e = m_inventory.orders().recordEvent(
                    "stock.shortage", event.orderId, {{u"message"_qs, r.error().userMessage}, {u"event"_qs, event.id}},
                    {u"inventory"_qs, r.error().userMessage, event.causeDepth});
                !e)
                return e.error();
        }
        // Only from where this run read it: another workstation's scheduler that moved it first did the event.
        auto moved = runSql(db, u"UPDATE automation_state SET value = ? WHERE name = ? AND value = ?"_qs,
                            "move reservation cursor", {event.id, QString::fromLatin1(kCursor), position});
        if (!moved)
            return moved.error();
        if (moved->numRowsAffected() == 0)
            return int(events->size()); // rolled back

        position = event.id;
        if (auto r = tx.commit(); !r)
            return r.error();
    }
    return int(events->size());
}

Result<bool> Reservations::zeroStockBlocksInvoice(qint64 orderId, const QString &actor, QStringList *emptySkus)
{
    auto order = m_inventory.orders().load(orderId);
    if (!order)
        return order.error();
    auto need = needs(m_inventory, *order);
    if (!need)
        return need.error();
    QStringList empty;
    for (auto it = need->cbegin(); it != need->cend(); ++it) {
        auto total = m_inventory.totalStock(it.key());
        if (!total)
            return total.error();
        auto others = m_inventory.reserved(it.key(), orderId);
        if (!others)
            return others.error();
        if (*total - *others <= 0) {
            auto product = m_inventory.productById(it.key());
            empty.append(product ? product->sku : QString::number(it.key()));
        }
    }
    if (emptySkus)
        *emptySkus = empty;
    if (empty.isEmpty())
        return false;
    auto settings = InventorySettings::load(m_inventory.database());
    if (!settings)
        return settings.error();
    if (settings->manualInvoiceTag.isEmpty()) {
        settings->manualInvoiceTag = tr("Invoice by hand");
        if (auto r = settings->save(m_inventory.database()); !r)
            return r.error();
    }
    const QString tag = settings->manualInvoiceTag;
    auto changed = m_inventory.orders().apply(storage::OrderChange::update(
        orderId,
        [tag](domain::Order &o) -> Result<void> {
            if (!o.tags.contains(tag, Qt::CaseInsensitive))
                o.tags.append(tag);
            return {};
        },
        {actor, tr("No stock of %1: the invoice is issued by hand after restocking.").arg(empty.join(u", ")), 0}));
    if (!changed)
        return changed.error();
    return true;
}

} // namespace sd::inventory
