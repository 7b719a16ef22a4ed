#include "storage/orderquery.h"

#include "storage/sqlquery.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace sd::storage {

namespace {

const QString kSummaryColumns = QStringLiteral(
    "o.id, o.marketplace, o.external_id, o.created_at, o.buyer_login, o.buyer_name, o.total_minor, o.currency, "
    "o.payment_method, o.payment_status, o.delivery_method, s.name, o.item_count, o.invoice_wanted, s.color, s.id, "
    "s.position");

// "ZB-4937 kowal" -> "zb"* "4937"* "kowal"*: each word a quoted prefix, all required. Splitting on what is
// not a letter or digit mirrors the index's tokenizer, and quoting keeps the user's text out of the syntax.
QString ftsQuery(const QString &text)
{
    QStringList terms;
    QString word;
    auto flush = [&] {
        if (!word.isEmpty())
            terms << u'"' + word + u"\"*";
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            word += c;
        else
            flush();
    }
    flush();
    return terms.join(u' ');
}

QString likePattern(const QString &text, bool lower = true)
{
    QString escaped = lower ? text.toLower() : text;
    escaped.replace(u'\\', u"\\\\"_qs).replace(u'%', u"\\%"_qs).replace(u'_', u"\\_"_qs);
    return u'%' + escaped + u'%';
}

// The SQL of each sort; text sorts compare as stored (the list is for finding, not for a dictionary).
QString sortExpression(OrderQuery::Sort sort)
{
    switch (sort) {
    case OrderQuery::Sort::Created:
        return QStringLiteral("o.created_at");
    case OrderQuery::Sort::Id:
        return QStringLiteral("o.id");
    case OrderQuery::Sort::Total:
        return QStringLiteral("o.total_minor");
    case OrderQuery::Sort::Buyer:
        return QStringLiteral("o.buyer_name");
    case OrderQuery::Sort::Items:
        return QStringLiteral("o.item_count");
    case OrderQuery::Sort::Payment:
        return QStringLiteral("o.payment_status");
    case OrderQuery::Sort::Delivery:
        return QStringLiteral("o.delivery_method");
    case OrderQuery::Sort::Marketplace:
        return QStringLiteral("o.marketplace");
    case OrderQuery::Sort::Status:
        return QStringLiteral("s.position");
    }
    return QStringLiteral("o.created_at");
}

} // namespace

OrderQuery::Key OrderQuery::keyOf(const OrderSummary &o, Sort sort)
{
    switch (sort) {
    case Sort::Created:
        return {o.createdAt.toMSecsSinceEpoch(), o.id};
    case Sort::Id:
        return {o.id, o.id};
    case Sort::Total:
        return {o.total.minor(), o.id};
    case Sort::Buyer:
        return {o.buyerName, o.id};
    case Sort::Items:
        return {o.itemCount, o.id};
    case Sort::Payment:
        return {o.paymentStatus, o.id};
    case Sort::Delivery:
        return {o.deliveryMethod, o.id};
    case Sort::Marketplace:
        return {o.marketplace, o.id};
    case Sort::Status:
        return {o.statusPosition, o.id};
    }
    return {o.createdAt.toMSecsSinceEpoch(), o.id};
}

QJsonObject OrderQuery::Filter::toJson() const
{
    QJsonObject json;
    auto put = [&json](const char *key, const QString &value) {
        if (!value.isEmpty())
            json.insert(QLatin1StringView(key), value);
    };
    if (statusId)
        json.insert(u"statusId"_qs, statusId);
    put("statusGroup", statusGroup);
    put("paymentStatus", paymentStatus);
    put("paymentMethod", paymentMethod);
    put("deliveryMethod", deliveryMethod);
    put("marketplace", marketplace);
    put("account", account);
    put("marketplaceStatus", marketplaceStatus);
    put("deliveryCountry", deliveryCountry);
    put("tag", tag);
    put("referrer", referrer);
    if (invoiceWanted)
        json.insert(u"invoiceWanted"_qs, *invoiceWanted);
    if (buyerCommented)
        json.insert(u"buyerCommented"_qs, *buyerCommented);
    if (totalFrom)
        json.insert(u"totalFrom"_qs, *totalFrom);
    if (totalTo)
        json.insert(u"totalTo"_qs, *totalTo);
    if (createdFrom.isValid())
        json.insert(u"createdFrom"_qs, createdFrom.toUTC().toString(Qt::ISODate));
    if (createdTo.isValid())
        json.insert(u"createdTo"_qs, createdTo.toUTC().toString(Qt::ISODate));
    put("search", search);
    if (sort != Sort::Created)
        json.insert(u"sort"_qs, int(sort));
    if (ascending)
        json.insert(u"ascending"_qs, true);
    return json;
}

OrderQuery::Filter OrderQuery::Filter::fromJson(const QJsonObject &json)
{
    Filter f;
    f.statusId = json.value(u"statusId").toInteger();
    f.statusGroup = json.value(u"statusGroup").toString();
    f.paymentStatus = json.value(u"paymentStatus").toString();
    f.paymentMethod = json.value(u"paymentMethod").toString();
    f.deliveryMethod = json.value(u"deliveryMethod").toString();
    f.marketplace = json.value(u"marketplace").toString();
    f.account = json.value(u"account").toString();
    f.marketplaceStatus = json.value(u"marketplaceStatus").toString();
    f.deliveryCountry = json.value(u"deliveryCountry").toString();
    f.tag = json.value(u"tag").toString();
    f.referrer = json.value(u"referrer").toString();
    if (json.value(u"buyerCommented").isBool())
        f.buyerCommented = json.value(u"buyerCommented").toBool();
    if (json.value(u"totalFrom").isDouble())
        f.totalFrom = json.value(u"totalFrom").toInteger();
    if (json.value(u"totalTo").isDouble())
        f.totalTo = json.value(u"totalTo").toInteger();
    f.sort = Sort(qBound(0, json.value(u"sort").toInt(), int(Sort::Status)));
    f.ascending = json.value(u"ascending").toBool();
    if (json.value(u"invoiceWanted").isBool())
        f.invoiceWanted = json.value(u"invoiceWanted").toBool();
    f.createdFrom = QDateTime::fromString(json.value(u"createdFrom").toString(), Qt::ISODate);
    f.createdTo = QDateTime::fromString(json.value(u"createdTo").toString(), Qt::ISODate);
    f.search = json.value(u"search").toString();
    return f;
}

OrderQuery::OrderQuery(std::shared_ptr<Database> db)
    : m_db(std::move(db))
{}

QString OrderQuery::where(const Filter &filter, bool withStatus, QVariantList &binds) const
{
    QString sql = QStringLiteral(" WHERE 1 = 1");
    if (withStatus && filter.statusId) {
        sql += u" AND o.status_id = ?";
        binds << filter.statusId;
    }
    if (withStatus && !filter.statusGroup.isEmpty()) {
        sql += u" AND o.status_id IN (SELECT id FROM statuses WHERE group_key = ?)";
        binds << filter.statusGroup;
    }
    auto exact = [&](const QString &value, QStringView column) {
        if (value.isEmpty())
            return;
        sql += u" AND o." + column + u" = ?";
        binds << value;
    };
    exact(filter.paymentStatus, u"payment_status");
    exact(filter.paymentMethod, u"payment_method");
    exact(filter.deliveryMethod, u"delivery_method");
    exact(filter.marketplace, u"marketplace");
    exact(filter.account, u"account");
    exact(filter.marketplaceStatus, u"marketplace_status");
    exact(filter.deliveryCountry, u"delivery_country");
    if (!filter.tag.isEmpty()) {
        sql += u" AND o.id IN (SELECT ot.order_id FROM order_tags ot JOIN tags t ON t.id = ot.tag_id WHERE t.name = ?)";
        binds << filter.tag;
    }
    if (!filter.referrer.isEmpty()) {
        // The first term lets SQLite read the partial index of orders with referrers.
        sql += u" AND o.referrers <> '' AND o.referrers LIKE ? ESCAPE '\\'";
        binds << likePattern(u'\n' + filter.referrer + u'\n', false);
    }
    if (filter.invoiceWanted) {
        sql += u" AND o.invoice_wanted = ?";
        binds << (*filter.invoiceWanted ? 1 : 0);
    }
    if (filter.buyerCommented) {
        sql += u" AND o.buyer_commented = ?";
        binds << (*filter.buyerCommented ? 1 : 0);
    }
    if (filter.totalFrom) {
        sql += u" AND o.total_minor >= ?";
        binds << *filter.totalFrom;
    }
    if (filter.totalTo) {
        sql += u" AND o.total_minor <= ?";
        binds << *filter.totalTo;
    }
    if (filter.createdFrom.isValid()) {
        sql += u" AND o.created_at >= ?";
        binds << filter.createdFrom.toMSecsSinceEpoch();
    }
    if (filter.createdTo.isValid()) {
        sql += u" AND o.created_at < ?";
        binds << filter.createdTo.toMSecsSinceEpoch();
    }
    const QString search = filter.search.trimmed();
    bool numeric = false;
    const qint64 number = search.toLongLong(&numeric);
    const QString words = ftsQuery(search);
    // A scanned or typed tracking number finds its order whole (waybills are stored as the carrier prints them,
    // in capitals; the index on order_shipments.waybill serves it).
    // The barcode on the courier's label, where it is not the tracking number, finds it too (schema 15).
    static const QString waybillMatch = u" OR o.id IN (SELECT order_id FROM order_shipments WHERE waybill = ? "
                                        u"UNION SELECT order_id FROM order_shipments WHERE label_barcode = ? "
                                        u"AND label_barcode <> '')"_qs;
    if (!words.isEmpty() && !m_db->isPostgres()) {
        // Every word typed is the start of a word of the order (login, name, e-mail, marketplace id) or of one
        // of its items (name, SKU, EAN), found in the full-text indexes.
        sql += u" AND (o.id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)";
        binds << words;
        // Or every piece typed appears somewhere in the login, e-mail or name ("kowal" in "jan_kowalski88"),
        // found in the trigram index; a piece shorter than a trigram cannot be looked up there.
        const QStringList pieces = search.split(u' ', Qt::SkipEmptyParts);
        if (std::all_of(pieces.begin(), pieces.end(), [](const QString &p) { return p.size() >= 3; })) {
            QStringList likes;
            for (const QString &piece : pieces) {
                likes << u"who LIKE ?"_qs;
                binds << QString(u'%' + piece + u'%');
            }
            sql += u" OR o.id IN (SELECT rowid FROM orders_infix WHERE " + likes.join(u" AND ") + u')';
        }
        sql += waybillMatch;
        binds << search.toUpper() << search.toUpper();
        if (numeric) {
            sql += u" OR o.id = ?";
            binds << number;
        }
        sql += u')';
    } else if (!search.isEmpty()) {
        // Every piece typed appears somewhere; each column on its own, so that PostgreSQL can use its trigram
        // index on it (pg_trgm, schema 6).
        QStringList all;
        for (const QString &piece : search.split(u' ', Qt::SkipEmptyParts)) {
            const QString pattern = likePattern(piece);
            all << u"o.id IN (SELECT id FROM orders WHERE LOWER(external_id) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT id FROM orders WHERE LOWER(buyer_login) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT id FROM orders WHERE LOWER(buyer_email) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT id FROM orders WHERE LOWER(buyer_name) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT order_id FROM order_items WHERE LOWER(name) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT order_id FROM order_items WHERE LOWER(sku) LIKE ? ESCAPE '\\' "
                   u"UNION SELECT order_id FROM order_items WHERE ean = ?)"_qs;
            for (int i = 0; i < 6; ++i)
                binds << pattern;
            binds << piece;
        }
        sql += u" AND ((" + all.join(u" AND ") + u')';
        sql += waybillMatch;
        binds << search.toUpper() << search.toUpper();
        if (numeric) {
            sql += u" OR o.id = ?";
            binds << number;
        }
        sql += u')';
    }
    return sql;
}

const QList<const char *> &OrderQuery::searchIndexStatements()
{
    static const QList<const char *> statements = {
        "DELETE FROM orders_fts WHERE rowid IN (SELECT order_id FROM search_queue)",
        "INSERT INTO orders_fts (rowid, external_id, buyer_login, buyer_email, buyer_name, items) "
        "SELECT o.id, o.external_id, o.buyer_login, o.buyer_email, o.buyer_name, "
        "(SELECT group_concat(i.name || ' ' || i.sku || ' ' || i.ean, ' ') FROM order_items i "
        "WHERE i.order_id = o.id) FROM orders o WHERE o.id IN (SELECT order_id FROM search_queue)",
        "DELETE FROM orders_infix WHERE rowid IN (SELECT order_id FROM search_queue)",
        "INSERT INTO orders_infix (rowid, who) SELECT o.id, o.buyer_login || ' ' || o.buyer_email || ' ' || "
        "o.buyer_name FROM orders o WHERE o.id IN (SELECT order_id FROM search_queue)",
        "DELETE FROM search_queue",
    };
    return statements;
}

Result<void> OrderQuery::refreshSearchIndex()
{
    if (m_db->isPostgres())
        return {};
    QSqlDatabase db = m_db->connection();
    {
        QSqlQuery pending(db);
        if (!pending.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM search_queue)")) || !pending.next())
            return toError(pending.lastError(), "search queue");
        if (!pending.value(0).toBool())
            return {};
    }
    Transaction transaction(*m_db, "refresh search index");
    if (!transaction.started())
        return transaction.started().error();
    for (const char *sql : searchIndexStatements())
        if (auto r = exec(db, QString::fromLatin1(sql), "refresh search index"); !r)
            return r;
    return transaction.commit();
}

Result<QList<OrderSummary>> OrderQuery::page(const Filter &filter, std::optional<Key> after, int limit)
{
    if (!filter.search.trimmed().isEmpty())
        if (auto r = refreshSearchIndex(); !r)
            return r.error();
    QVariantList binds;
    QString sql = u"SELECT " + kSummaryColumns + u" FROM orders o JOIN statuses s ON s.id = o.status_id" +
                  where(filter, true, binds);
    const QString column = sortExpression(filter.sort);
    const QString direction = filter.ascending ? u"ASC"_qs : u"DESC"_qs;
    const QString beyond = filter.ascending ? u">"_qs : u"<"_qs;
    if (after) {
        sql += u" AND (" + column + u' ' + beyond + u" ? OR (" + column + u" = ? AND o.id " + beyond + u" ?))";
        binds << after->sortValue << after->sortValue << after->id;
    }
    sql += u" ORDER BY " + column + u' ' + direction + u", o.id " + direction + u" LIMIT ?";
    binds << qMax(1, limit);

    QSqlQuery q(m_db->connection());
    if (!q.prepare(sql))
        return toError(q.lastError(), "order page");
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (auto r = exec(q, "order page"); !r)
        return r.error();
    QList<OrderSummary> list;
    list.reserve(limit);
    while (q.next()) {
        OrderSummary s;
        s.id = q.value(0).toLongLong();
        s.marketplace = q.value(1).toString();
        s.externalId = q.value(2).toString();
        s.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
        s.buyerLogin = q.value(4).toString();
        s.buyerName = q.value(5).toString();
        s.total = domain::Money(q.value(6).toLongLong(), q.value(7).toString());
        s.paymentMethod = q.value(8).toString();
        s.paymentStatus = q.value(9).toString();
        s.deliveryMethod = q.value(10).toString();
        s.status = q.value(11).toString();
        s.itemCount = q.value(12).toInt();
        s.invoiceWanted = q.value(13).toInt() != 0;
        s.statusColor = q.value(14).toString();
        s.statusId = q.value(15).toLongLong();
        s.statusPosition = q.value(16).toInt();
        list.append(s);
    }
    return list;
}

Result<qint64> OrderQuery::count(const Filter &filter)
{
    if (!filter.search.trimmed().isEmpty())
        if (auto r = refreshSearchIndex(); !r)
            return r.error();
    QVariantList binds;
    const QString sql = u"SELECT COUNT(*) FROM orders o" + where(filter, true, binds);
    QSqlQuery q(m_db->connection());
    if (!q.prepare(sql))
        return toError(q.lastError(), "order count");
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (auto r = exec(q, "order count"); !r)
        return r.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Result<QHash<qint64, qint64>> OrderQuery::countsByStatus(const Filter &filter)
{
    if (!filter.search.trimmed().isEmpty())
        if (auto r = refreshSearchIndex(); !r)
            return r.error();
    QVariantList binds;
    const QString sql =
        u"SELECT o.status_id, COUNT(*) FROM orders o" + where(filter, false, binds) + u" GROUP BY o.status_id";
    QSqlQuery q(m_db->connection());
    if (!q.prepare(sql))
        return toError(q.lastError(), "order counts");
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (auto r = exec(q, "order counts"); !r)
        return r.error();
    QHash<qint64, qint64> counts;
    while (q.next())
        counts.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return counts;
}

} // namespace sd::storage

namespace sd::storage {

Result<QStringList> OrderQuery::distinctValues(const QString &column)
{
    QString sql;
    if (column == u"tags")
        sql = u"SELECT name FROM tags ORDER BY 1"_qs;
    else if (column == u"delivery_method" || column == u"marketplace" || column == u"account" ||
             column == u"delivery_country" || column == u"referrers")
        sql = u"SELECT DISTINCT " + column + u" FROM orders WHERE " + column + u" <> '' ORDER BY 1";
    else
        return makeError(Error::Code::Internal, u"no such column"_qs, column);
    QSqlQuery q(m_db->connection());
    if (!q.exec(sql))
        return toError(q.lastError(), "distinct values");
    QStringList values;
    while (q.next()) {
        if (column == u"referrers") {
            for (const QString &referrer : q.value(0).toString().split(u'\n', Qt::SkipEmptyParts))
                if (!values.contains(referrer))
                    values << referrer;
        } else {
            values << q.value(0).toString();
        }
    }
    if (column == u"referrers")
        values.sort(Qt::CaseInsensitive);
    return values;
}

QString OrderQuery::deliveryCountryOf(const domain::Order &order)
{
    const QString country = order.delivery.address.countryCode;
    return country.isEmpty() ? order.delivery.pickupPoint.address.countryCode : country;
}

QString OrderQuery::referrersColumn(const QStringList &referrers)
{
    return referrers.isEmpty() ? QString() : u'\n' + referrers.join(u'\n') + u'\n';
}

Result<QList<OrderQuery::SavedView>> OrderQuery::savedViews()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(QStringLiteral("SELECT id, name, filter FROM saved_views ORDER BY position, id")))
        return toError(q.lastError(), "saved views");
    QList<SavedView> views;
    while (q.next())
        views.append({q.value(0).toLongLong(), q.value(1).toString(),
                      Filter::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object())});
    return views;
}

Result<OrderQuery::SavedView> OrderQuery::saveView(const QString &rawName, const Filter &filter)
{
    const QString name = rawName.simplified();
    if (name.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::storage", "A saved view needs a name."));
    if (name.size() > 60)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::storage", "A saved view's name can have at most 60 characters."));
    const QString json = QString::fromUtf8(QJsonDocument(filter.toJson()).toJson(QJsonDocument::Compact));
    Transaction transaction(*m_db, "save view");
    if (!transaction.started())
        return transaction.started().error();
    QSqlDatabase db = m_db->connection();
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE saved_views SET filter = ? WHERE name = ?"));
    update.addBindValue(json);
    update.addBindValue(name);
    if (auto r = exec(update, "update view"); !r)
        return r.error();
    if (update.numRowsAffected() == 0) {
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO saved_views (name, filter, position) "
                                      "VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM saved_views))"));
        insert.addBindValue(name);
        insert.addBindValue(json);
        if (auto r = exec(insert, "insert view"); !r)
            return r.error();
    }
    QSqlQuery find(db);
    find.prepare(QStringLiteral("SELECT id FROM saved_views WHERE name = ?"));
    find.addBindValue(name);
    if (auto r = exec(find, "find view"); !r)
        return r.error();
    if (!find.next())
        return toError(find.lastError(), "find view");
    const qint64 id = find.value(0).toLongLong();
    find.finish();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return SavedView{id, name, filter};
}

Result<void> OrderQuery::removeView(qint64 id)
{
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("DELETE FROM saved_views WHERE id = ?"));
    q.addBindValue(id);
    return exec(q, "remove view");
}

} // namespace sd::storage
