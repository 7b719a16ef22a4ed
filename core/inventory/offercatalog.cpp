#include "inventory/offercatalog.h"

#include "automation/sqlrun.h"
#include "inventory/inventorysettings.h"
#include "inventory/stocksync.h"
#include "marketplace/allegro/allegroclient.h"
#include "storage/sqlquery.h"

#include <QJsonObject>
#include <QSet>
#include <QUrlQuery>

namespace sd::inventory {

using automation::runSql;

namespace {

// The offer with its product, the product's stock over all warehouses and its reservations (by product).
const QString kOfferSelect = QStringLiteral(
    "SELECT o.account_id, a.name, o.offer_id, o.name, o.external_id, o.status, o.format, o.archived, o.available, "
    "o.product_id, p.sku, o.link_source, o.sync_enabled, o.sync_state, o.sync_error, o.sync_attempts, "
    "(SELECT COALESCE(SUM(l.quantity), 0) FROM stock_levels l WHERE l.product_id = o.product_id), "
    "(SELECT COALESCE(SUM(r.quantity), 0) FROM stock_reservations r WHERE r.product_id = o.product_id), "
    "(SELECT COUNT(*) FROM marketplace_offers s WHERE s.product_id = o.product_id AND s.sync_enabled = 1) "
    "FROM marketplace_offers o JOIN marketplace_accounts a ON a.id = o.account_id "
    "LEFT JOIN products p ON p.id = o.product_id");

OfferView offerFrom(const QSqlQuery &q, bool subtractReservations)
{
    OfferView v;
    v.accountId = q.value(0).toLongLong();
    v.account = q.value(1).toString();
    v.offerId = q.value(2).toString();
    v.name = q.value(3).toString();
    v.externalId = q.value(4).toString();
    v.status = q.value(5).toString();
    v.format = q.value(6).toString();
    v.archived = q.value(7).toInt() != 0;
    v.available = q.value(8).isNull() ? -1 : q.value(8).toInt();
    v.productId = q.value(9).toLongLong();
    v.sku = q.value(10).toString();
    v.linkSource = q.value(11).toString();
    v.syncEnabled = q.value(12).toInt() != 0;
    v.syncState = q.value(13).toString();
    v.syncError = q.value(14).toString();
    v.syncAttempts = q.value(15).toInt();
    if (v.productId) {
        v.localQuantity = qMax(0, q.value(16).toInt() - (subtractReservations ? q.value(17).toInt() : 0));
        v.autoEndResume = q.value(18).toInt() == 0;
    }
    return v;
}

} // namespace

QJsonObject OfferView::toJson() const
{
    return {{u"accountId"_qs, accountId},
            {u"account"_qs, account},
            {u"offerId"_qs, offerId},
            {u"name"_qs, name},
            {u"externalId"_qs, externalId},
            {u"status"_qs, status},
            {u"format"_qs, format},
            {u"archived"_qs, archived},
            {u"available"_qs, available < 0 ? QJsonValue() : QJsonValue(available)},
            {u"sku"_qs, sku.isEmpty() ? QJsonValue() : QJsonValue(sku)},
            {u"link"_qs, linkSource},
            {u"sync"_qs, syncEnabled},
            {u"autoEndResume"_qs, autoEndResume},
            {u"syncState"_qs, syncState},
            {u"syncError"_qs, syncError},
            {u"localQuantity"_qs, localQuantity < 0 ? QJsonValue() : QJsonValue(localQuantity)}};
}

OfferCatalog::OfferCatalog(InventoryStore &inventory)
    : m_inventory(inventory)
{}

Result<int> OfferCatalog::importOffers(qint64 accountId, const QJsonArray &offers, bool complete)
{
    storage::Database &db = m_inventory.database();
    storage::Transaction tx(db, "import offers");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto upsert = storage::prepare(
        db.connection(),
        u"INSERT INTO marketplace_offers (account_id, offer_id, name, external_id, status, available, price_minor, "
        "currency, updated_at, format, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
        "ON CONFLICT (account_id, offer_id) DO UPDATE SET name = excluded.name, external_id = excluded.external_id, "
        "status = excluded.status, available = excluded.available, price_minor = excluded.price_minor, "
        "currency = excluded.currency, updated_at = excluded.updated_at, format = excluded.format, archived = 0"_qs,
        "import offer");
    if (!upsert)
        return upsert.error();
    for (const QJsonValue &value : offers) {
        const QJsonObject o = value.toObject();
        const QJsonObject price = o.value(u"sellingMode").toObject().value(u"price").toObject();
        const QString currency = price.value(u"currency").toString();
        QVariant priceMinor(QMetaType::fromType<qint64>());
        if (auto money = domain::Money::parse(price.value(u"amount").toString(), currency); money)
            priceMinor = money->minor();
        const QJsonValue available = o.value(u"stock").toObject().value(u"available");
        const QVariantList values{accountId,
                                  o.value(u"id").toString(),
                                  o.value(u"name").toString(),
                                  o.value(u"external").toObject().value(u"id").toString(),
                                  o.value(u"publication").toObject().value(u"status").toString(),
                                  available.isDouble() ? QVariant(available.toInt())
                                                       : QVariant(QMetaType::fromType<int>()),
                                  priceMinor,
                                  currency,
                                  now,
                                  o.value(u"sellingMode").toObject().value(u"format").toString()};
        for (const QVariant &v : values)
            upsert->addBindValue(v);
        if (auto r = storage::exec(*upsert, "import offer"); !r)
            return r.error();
    }
    if (complete) {
        // Gone from the whole listing: archived. Their sync stops, so their product's siblings regain auto end/resume.
        // Decided by the ids the listing held (two listings can fall in the same millisecond).
        QSet<QString> listed;
        for (const QJsonValue &value : offers)
            listed.insert(value.toObject().value(u"id").toString());
        auto live = runSql(db, u"SELECT offer_id FROM marketplace_offers WHERE account_id = ? AND archived = 0"_qs,
                           "live offers", {accountId});
        if (!live)
            return live.error();
        QStringList gone;
        while (live->next())
            if (const QString id = live->value(0).toString(); !listed.contains(id))
                gone.append(id);
        for (const QString &id : std::as_const(gone))
            if (auto r = runSql(
                    db,
                    u"UPDATE marketplace_offers SET archived = 1, sync_enabled = 0, sync_error = ? "
                    "WHERE account_id = ? AND offer_id = ?"_qs,
                    "archive offer",
                    {tr("The offer was archived on the marketplace; its stock sync was switched off."), accountId, id});
                !r)
                return r.error();
    }
    if (auto r = autoLink(accountId); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return int(offers.size());
}

Result<int> OfferCatalog::refresh(marketplace::allegro::AllegroClient &client)
{
    QJsonArray all;
    for (int offset = 0;; offset += 1000) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
        auto page = client.offers(query);
        if (!page)
            return page.error();
        const QJsonArray offers = page->value(u"offers").toArray();
        for (const QJsonValue &o : offers)
            all.append(o);
        if (offers.size() < 1000)
            break;
    }
    return importOffers(client.account().id, all, true);
}

Result<int> OfferCatalog::autoLink(qint64 accountId)
{
    // The SKU first, then the EAN (the oldest product when several share one).
    static const QString kMatch = QStringLiteral(
        "COALESCE((SELECT p.id FROM products p WHERE p.sku = marketplace_offers.external_id), (SELECT p.id FROM "
        "products p WHERE p.ean <> '' AND p.ean = marketplace_offers.external_id ORDER BY p.id LIMIT 1))");
    auto q = runSql(m_inventory.database(),
                    u"UPDATE marketplace_offers SET link_source = 'auto', product_id = "_qs + kMatch +
                        u" WHERE product_id IS NULL AND external_id <> '' AND (? = 0 OR account_id = ?) AND " + kMatch +
                        u" IS NOT NULL",
                    "auto link offers", {accountId, accountId});
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<OfferView> OfferCatalog::offer(const QString &offerId, qint64 allowedAccountId)
{
    auto settings = InventorySettings::load(m_inventory.database());
    if (!settings)
        return settings.error();
    auto q = runSql(m_inventory.database(), kOfferSelect + u" WHERE o.offer_id = ? ORDER BY o.account_id",
                    "offer by id", {offerId.trimmed()});
    if (!q)
        return q.error();
    QList<OfferView> found;
    while (q->next())
        found.append(offerFrom(*q, settings->subtractReservations));
    if (found.isEmpty())
        return makeError(Error::Code::NotFound,
                         tr("There is no offer %1; refresh the offers of the account first.").arg(offerId));
    if (!allowedAccountId)
        return found.constFirst();
    for (const OfferView &v : std::as_const(found)) {
        if (v.accountId == allowedAccountId)
            return v;
    }
    return makeError(Error::Code::Conflict,
                     tr("The offer %1 belongs to the account %2, not to the account you work in; nothing was changed.")
                         .arg(offerId, found.constFirst().account));
}

Result<OfferView> OfferCatalog::link(const QString &offerId, const QString &sku, qint64 allowedAccountId)
{
    auto offer = this->offer(offerId, allowedAccountId);
    if (!offer)
        return offer.error();
    auto product = m_inventory.product(sku);
    if (!product)
        return product.error();
    if (auto r =
            runSql(m_inventory.database(),
                   u"UPDATE marketplace_offers SET product_id = ?, link_source = 'manual' WHERE account_id = ? AND "
                   "offer_id = ?"_qs,
                   "link offer", {product->id, offer->accountId, offer->offerId});
        !r)
        return r.error();
    if (offer->syncEnabled) {
        if (auto r = StockSync::request(m_inventory.orders().sharedDatabase()); !r)
            return r.error();
    }
    return this->offer(offerId, offer->accountId);
}

Result<QList<OfferOutcome>> OfferCatalog::enableSync(const QStringList &offerIds, qint64 allowedAccountId)
{
    auto settings = InventorySettings::load(m_inventory.database());
    if (!settings)
        return settings.error();
    storage::Transaction tx(m_inventory.database(), "enable stock sync");
    if (!tx.started())
        return tx.started().error();
    QList<OfferOutcome> outcomes;
    bool any = false;
    for (const QString &id : offerIds) {
        auto offer = this->offer(id, allowedAccountId);
        if (!offer) {
            outcomes.append({id, false, offer.error().userMessage});
            continue;
        }
        QString refusal;
        if (!settings->syncAllowed())
            refusal = tr("Stock sync can be switched on only while automatic order download and automatic invoicing "
                         "are on.");
        else if (offer->format == u"AUCTION")
            refusal = tr("Stock sync cannot be switched on for an auction.");
        else if (offer->archived)
            refusal = tr("Stock sync cannot be switched on for an archived offer.");
        else if (!offer->productId)
            refusal = tr("The offer is not linked to a product; link it first.");
        else if (offer->syncEnabled)
            refusal = tr("Stock sync is on already.");
        if (!refusal.isEmpty()) {
            outcomes.append({id, false, refusal});
            continue;
        }
        if (auto r = runSql(m_inventory.database(),
                            u"UPDATE marketplace_offers SET sync_enabled = 1, sync_state = 'pending', sync_error = '', "
                            "sync_attempts = 0 WHERE account_id = ? AND offer_id = ?"_qs,
                            "enable sync", {offer->accountId, offer->offerId});
            !r)
            return r.error();
        outcomes.append(
            {id, true, tr("Stock sync is on; automatic end and resume are off for the offers of %1.").arg(offer->sku)});
        any = true;
    }
    if (any) {
        if (auto r = StockSync::request(m_inventory.orders().sharedDatabase()); !r)
            return r.error();
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return outcomes;
}

Result<QList<OfferOutcome>> OfferCatalog::disableSync(const QStringList &offerIds, qint64 allowedAccountId)
{
    storage::Transaction tx(m_inventory.database(), "disable stock sync");
    if (!tx.started())
        return tx.started().error();
    QList<OfferOutcome> outcomes;
    for (const QString &id : offerIds) {
        auto offer = this->offer(id, allowedAccountId);
        if (!offer) {
            outcomes.append({id, false, offer.error().userMessage});
            continue;
        }
        if (!offer->syncEnabled) {
            outcomes.append({id, false, tr("Stock sync is off already.")});
            continue;
        }
        if (auto r = runSql(m_inventory.database(),
                            u"UPDATE marketplace_offers SET sync_enabled = 0, sync_state = '', sync_error = '', "
                            "sync_attempts = 0 WHERE account_id = ? AND offer_id = ?"_qs,
                            "disable sync", {offer->accountId, offer->offerId});
            !r)
            return r.error();
        outcomes.append({id, true, tr("Stock sync is off.")});
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return outcomes;
}

Result<bool> OfferCatalog::autoEndResumeAllowed(qint64 accountId, const QString &offerId)
{
    auto offer = this->offer(offerId, accountId);
    if (!offer)
        return offer.error();
    return offer->autoEndResume;
}

Result<QList<OfferView>> OfferCatalog::list(const OfferFilter &filter)
{
    auto settings = InventorySettings::load(m_inventory.database());
    if (!settings)
        return settings.error();
    QStringList where;
    QVariantList values;
    if (filter.linked)
        where.append(*filter.linked ? u"o.product_id IS NOT NULL"_qs : u"o.product_id IS NULL"_qs);
    if (filter.sync)
        where.append(*filter.sync ? u"o.sync_enabled = 1"_qs : u"o.sync_enabled = 0"_qs);
    if (!filter.format.isEmpty()) {
        where.append(u"o.format = ?"_qs);
        values.append(filter.format);
    }
    if (!filter.status.isEmpty()) {
        if (filter.status.compare(u"ARCHIVED", Qt::CaseInsensitive) == 0) {
            where.append(u"o.archived = 1"_qs);
        } else {
            where.append(u"o.status = ? AND o.archived = 0"_qs);
            values.append(filter.status.toUpper());
        }
    }
    if (filter.accountId) {
        where.append(u"o.account_id = ?"_qs);
        values.append(filter.accountId);
    }
    if (!filter.offerId.isEmpty()) {
        where.append(u"o.offer_id = ?"_qs);
        values.append(filter.offerId);
    }
    auto q = storage::prepare(m_inventory.database().connection(),
                              kOfferSelect + (where.isEmpty() ? QString() : u" WHERE " + where.join(u" AND ")) +
                                  u" ORDER BY o.account_id, o.offer_id",
                              "list offers");
    if (!q)
        return q.error();
    for (const QVariant &v : std::as_const(values))
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "list offers"); !r)
        return r.error();
    QList<OfferView> list;
    while (q->next())
        list.append(offerFrom(*q, settings->subtractReservations));
    return list;
}

} // namespace sd::inventory
