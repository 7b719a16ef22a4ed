#include "returns/returnstore.h"

#include "automation/sqlrun.h"

#include <QDate>
#include <QJsonArray>

namespace sd::returns {

using automation::runSql;

namespace {

constexpr char kColumns[] = "id, order_id, number, state, reason, source, account, external_id, late_override, "
                            "warehouse, stock_document, refund, correction, created_at, created_by, updated_at";

QDateTime timeOf(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

ReturnCase caseFrom(const QSqlQuery &q)
{
    ReturnCase r;
    r.id = q.value(0).toLongLong();
    r.orderId = q.value(1).toLongLong();
    r.number = q.value(2).toString();
    r.state = stateFromKey(q.value(3).toString()).value_or(ReturnState::Registered);
    r.reason = q.value(4).toString();
    r.source = q.value(5).toString();
    r.account = q.value(6).toString();
    r.externalId = q.value(7).toString();
    r.lateOverride = q.value(8).toString();
    r.warehouse = q.value(9).toString();
    r.stockDocument = q.value(10).toString();
    r.refund = q.value(11).toString();
    r.correction = q.value(12).toString();
    r.createdAt = timeOf(q.value(13));
    r.createdBy = q.value(14).toString();
    r.updatedAt = timeOf(q.value(15));
    return r;
}

} // namespace

Result<ReturnSettings> ReturnSettings::load(storage::Database &db)
{
    auto q = runSql(db, u"SELECT key, value FROM return_settings"_qs, "return settings");
    if (!q)
        return q.error();
    ReturnSettings s;
    while (q->next())
        if (auto r = s.set(q->value(0).toString(), q->value(1).toString()); !r)
            return r.error();
    return s;
}

Result<void> ReturnSettings::save(storage::Database &db) const
{
    storage::Transaction tx(db, "save return settings");
    if (!tx.started())
        return tx.started().error();
    const QList<QPair<QString, QString>> values{{u"termDays"_qs, QString::number(termDays)},
                                                {u"termFrom"_qs, termFromShipment ? u"shipment"_qs : u"purchase"_qs},
                                                {u"warehouse"_qs, warehouse},
                                                {u"informBuyer"_qs, informBuyer ? u"on"_qs : u"off"_qs}};
    for (const auto &[key, value] : values)
        if (auto r = runSql(db,
                            u"INSERT INTO return_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                            "value = excluded.value"_qs,
                            "save return setting", {key, value});
            !r)
            return r.error();
    return tx.commit();
}

Result<void> ReturnSettings::set(const QString &key, const QString &value)
{
    const QString v = value.trimmed();
    if (key == u"termDays") {
        bool ok = false;
        const int days = v.toInt(&ok);
        if (!ok || days < 1 || days > 3650)
            return makeError(Error::Code::Invalid,
                             tr("The return term is a number of days from 1 to 3650, not \"%1\".").arg(value));
        termDays = days;
    } else if (key == u"termFrom") {
        if (v != u"purchase" && v != u"shipment")
            return makeError(
                Error::Code::Invalid,
                tr("The return term is counted from \"purchase\" or \"shipment\", not \"%1\".").arg(value));
        termFromShipment = v == u"shipment";
    } else if (key == u"warehouse") {
        warehouse = v;
    } else if (key == u"informBuyer") {
        if (v != u"on" && v != u"off")
            return makeError(Error::Code::Invalid, tr("informBuyer is on or off, not \"%1\".").arg(value));
        informBuyer = v == u"on";
    } else {
        return makeError(
            Error::Code::Invalid,
            tr("There is no return setting \"%1\" (termDays, termFrom, warehouse, informBuyer).").arg(key));
    }
    return {};
}

QJsonObject ReturnSettings::toJson() const
{
    return {{u"termDays"_qs, termDays},
            {u"termFrom"_qs, termFromShipment ? u"shipment"_qs : u"purchase"_qs},
            {u"warehouse"_qs, warehouse},
            {u"informBuyer"_qs, informBuyer}};
}

ReturnStore::ReturnStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<void> ReturnStore::insert(ReturnCase &rma)
{
    storage::Transaction tx(*m_db, "insert return");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int year = QDate::currentDate().year();
    const QString suffix = u"/%1"_qs.arg(year);
    auto count = runSql(*m_db, u"SELECT COUNT(*) FROM returns WHERE number LIKE ?"_qs, "count returns",
                        {QString(u"ZW/%"_qs + suffix)});
    if (!count)
        return count.error();
    const qint64 serial = (count->next() ? count->value(0).toLongLong() : 0) + 1;
    count->finish();
    rma.number = u"ZW/%1%2"_qs.arg(serial).arg(suffix);
    rma.createdAt = rma.updatedAt = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
    auto q = runSql(*m_db,
                    u"INSERT INTO returns (order_id, number, state, reason, source, account, external_id, "
                    "late_override, warehouse, stock_document, refund, correction, created_at, created_by, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_qs,
                    "insert return",
                    {rma.orderId, rma.number, stateKey(rma.state), rma.reason, rma.source, rma.account, rma.externalId,
                     rma.lateOverride, rma.warehouse, rma.stockDocument, rma.refund, rma.correction, now, rma.createdBy,
                     now});
    if (!q)
        return q.error();
    auto id = runSql(*m_db, u"SELECT id FROM returns WHERE number = ?"_qs, "return id", {rma.number});
    if (!id)
        return id.error();
    rma.id = id->next() ? id->value(0).toLongLong() : 0;
    id->finish();
    for (const ReturnItem &item : std::as_const(rma.items))
        if (auto r = runSql(*m_db,
                            u"INSERT INTO return_items (return_id, line, sku, name, quantity, unit_price, currency) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)"_qs,
                            "insert return item",
                            {rma.id, item.line, item.sku, item.name, item.quantity, item.unitPrice.minor(),
                             item.unitPrice.currency()});
            !r)
            return r.error();
    return tx.commit();
}

Result<void> ReturnStore::loadDetails(ReturnCase &rma)
{
    auto items = runSql(*m_db,
                        u"SELECT line, sku, name, quantity, unit_price, currency FROM return_items WHERE return_id = ? "
                        "ORDER BY line"_qs,
                        "return items", {rma.id});
    if (!items)
        return items.error();
    while (items->next())
        rma.items.append({items->value(0).toInt(), items->value(1).toString(), items->value(2).toString(),
                          items->value(3).toInt(),
                          domain::Money(items->value(4).toLongLong(), items->value(5).toString())});
    auto files = runSql(*m_db,
                        u"SELECT id, name, mime_type, size, created_at, created_by FROM return_attachments "
                        "WHERE return_id = ? ORDER BY id"_qs,
                        "return attachments", {rma.id});
    if (!files)
        return files.error();
    while (files->next())
        rma.attachments.append({files->value(0).toLongLong(), files->value(1).toString(), files->value(2).toString(),
                                files->value(3).toLongLong(), timeOf(files->value(4)), files->value(5).toString()});
    return {};
}

Result<ReturnCase> ReturnStore::load(qint64 id)
{
    auto q =
        runSql(*m_db, u"SELECT %1 FROM returns WHERE id = ?"_qs.arg(QLatin1StringView(kColumns)), "load return", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no return %1.").arg(id));
    ReturnCase rma = caseFrom(*q);
    q->finish();
    if (auto r = loadDetails(rma); !r)
        return r.error();
    return rma;
}

Result<ReturnCase> ReturnStore::resolve(const QString &idOrNumber)
{
    bool numeric = false;
    const qint64 id = idOrNumber.trimmed().toLongLong(&numeric);
    if (numeric)
        return load(id);
    auto q = runSql(*m_db, u"SELECT id FROM returns WHERE number = ?"_qs, "find return", {idOrNumber.trimmed()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no return %1.").arg(idOrNumber));
    return load(q->value(0).toLongLong());
}

Result<std::optional<qint64>> ReturnStore::findExternal(const QString &source, const QString &account,
                                                        const QString &externalId)
{
    auto q = runSql(*m_db, u"SELECT id FROM returns WHERE source = ? AND account = ? AND external_id = ?"_qs,
                    "find external return", {source, account, externalId});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<qint64>();
    return std::optional<qint64>(q->value(0).toLongLong());
}

Result<QList<ReturnCase>> ReturnStore::list(const ReturnFilter &filter)
{
    QString where = u"WHERE 1 = 1"_qs;
    QVariantList values;
    if (filter.state) {
        where += u" AND state = ?"_qs;
        values.append(stateKey(*filter.state));
    }
    if (filter.orderId) {
        where += u" AND order_id = ?"_qs;
        values.append(filter.orderId);
    }
    if (filter.openOnly)
        where += u" AND state IN ('registered', 'received', 'inspected')"_qs;
    auto q = storage::prepare(
        m_db->connection(),
        u"SELECT %1 FROM returns %2 ORDER BY id DESC LIMIT %3"_qs.arg(QLatin1StringView(kColumns), where)
            .arg(qMax(1, filter.limit)),
        "list returns");
    if (!q)
        return q.error();
    for (const QVariant &v : std::as_const(values))
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "list returns"); !r)
        return r.error();
    QList<ReturnCase> list;
    while (q->next())
        list.append(caseFrom(*q));
    q->finish();
    for (ReturnCase &rma : list)
        if (auto r = loadDetails(rma); !r)
            return r.error();
    return list;
}

Result<QHash<int, int>> ReturnStore::returnedUnits(qint64 orderId, qint64 exceptReturn)
{
    auto q = runSql(*m_db,
                    u"SELECT i.line, SUM(i.quantity) FROM return_items i JOIN returns r ON r.id = i.return_id "
                    "WHERE r.order_id = ? AND r.state <> 'rejected' AND r.id <> ? GROUP BY i.line"_qs,
                    "returned units", {orderId, exceptReturn});
    if (!q)
        return q.error();
    QHash<int, int> units;
    while (q->next())
        units.insert(q->value(0).toInt(), q->value(1).toInt());
    return units;
}

Result<void> ReturnStore::update(const ReturnCase &rma)
{
    auto q = runSql(*m_db,
                    u"UPDATE returns SET state = ?, warehouse = ?, stock_document = ?, refund = ?, correction = ?, "
                    "updated_at = ? WHERE id = ?"_qs,
                    "update return",
                    {stateKey(rma.state), rma.warehouse, rma.stockDocument, rma.refund, rma.correction,
                     QDateTime::currentMSecsSinceEpoch(), rma.id});
    if (!q)
        return q.error();
    return {};
}

Result<ReturnAttachment> ReturnStore::addAttachment(qint64 returnId, const QString &name, const QString &mimeType,
                                                    const QByteArray &data, const QString &who)
{
    storage::Transaction tx(*m_db, "add return attachment");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto r =
            runSql(*m_db,
                   u"INSERT INTO return_attachments (return_id, name, mime_type, size, data, created_at, "
                   "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)"_qs,
                   "insert return attachment",
                   {returnId, name, mimeType, qint64(data.size()), QString::fromLatin1(data.toBase64()), now, who});
        !r)
        return r.error();
    auto id =
        runSql(*m_db, u"SELECT MAX(id) FROM return_attachments WHERE return_id = ?"_qs, "attachment id", {returnId});
    if (!id)
        return id.error();
    ReturnAttachment a{id->next() ? id->value(0).toLongLong() : 0,   name, mimeType, qint64(data.size()),
                       QDateTime::fromMSecsSinceEpoch(now, Qt::UTC), who};
    id->finish();
    if (auto r = tx.commit(); !r)
        return r.error();
    return a;
}

Result<QByteArray> ReturnStore::attachmentData(qint64 attachmentId)
{
    auto q = runSql(*m_db, u"SELECT data FROM return_attachments WHERE id = ?"_qs, "attachment data", {attachmentId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no attachment %1.").arg(attachmentId));
    return QByteArray::fromBase64(q->value(0).toString().toLatin1());
}

} // namespace sd::returns
