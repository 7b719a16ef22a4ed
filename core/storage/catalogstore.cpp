#include "storage/catalogstore.h"

#include "access/session.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"

#include <QColor>
#include <QCoreApplication>

namespace sd::storage {

namespace {

const QString kStatusColumns = QStringLiteral("id, name, color, group_key, position, buyer_name");

Status statusFromRow(const QSqlQuery &query)
{
    Status status;
    status.id = query.value(0).toLongLong();
    status.name = query.value(1).toString();
    status.color = query.value(2).toString();
    status.group = statusGroupFromKey(query.value(3).toString()).value_or(StatusGroup::New);
    status.position = query.value(4).toInt();
    status.buyerName = query.value(5).toString();
    return status;
}

} // namespace

QString statusGroupKey(StatusGroup group)
{
    switch (group) {
    case StatusGroup::New:
        return QStringLiteral("new");
    case StatusGroup::InProgress:
        return QStringLiteral("in-progress");
    case StatusGroup::Shipped:
        return QStringLiteral("shipped");
    case StatusGroup::Closed:
        return QStringLiteral("closed");
    case StatusGroup::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

std::optional<StatusGroup> statusGroupFromKey(QStringView key)
{
    for (auto group : {StatusGroup::New, StatusGroup::InProgress, StatusGroup::Shipped, StatusGroup::Closed,
                       StatusGroup::Cancelled}) {
        if (statusGroupKey(group) == key)
            return group;
    }
    return std::nullopt;
}

QString statusGroupDisplayName(StatusGroup group)
{
    switch (group) {
    case StatusGroup::New:
        return QCoreApplication::translate("sd::storage", "New");
    case StatusGroup::InProgress:
        return QCoreApplication::translate("sd::storage", "In progress");
    case StatusGroup::Shipped:
        return QCoreApplication::translate("sd::storage", "Shipped");
    case StatusGroup::Closed:
        return QCoreApplication::translate("sd::storage", "Closed");
    case StatusGroup::Cancelled:
        return QCoreApplication::translate("sd::storage", "Cancelled");
    }
    return {};
}

CatalogStore::CatalogStore(std::shared_ptr<Database> db)
    : m_db(std::move(db))
{}

Result<QList<Status>> CatalogStore::statuses()
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(u"SELECT " + kStatusColumns + u" FROM statuses ORDER BY position, id"))
        return toError(query.lastError(), "list statuses");
    QList<Status> list;
    while (query.next())
        list.append(statusFromRow(query));
    return list;
}

Result<Status> CatalogStore::statusByName(const QString &name)
{
    auto query =
        prepare(m_db->connection(), u"SELECT " + kStatusColumns + u" FROM statuses WHERE name = ?", "status by name");
    if (!query)
        return query.error();
    query->addBindValue(name);
    if (auto r = exec(*query, "status by name"); !r)
        return r.error();
    if (!query->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "There is no status named \"%1\".").arg(name));
    return statusFromRow(*query);
}

Result<Status> CatalogStore::defaultStatus(StatusGroup group)
{
    auto query = prepare(m_db->connection(),
                         u"SELECT " + kStatusColumns + u" FROM statuses WHERE group_key = ? ORDER BY position, id",
                         "default status");
    if (!query)
        return query.error();
    query->addBindValue(statusGroupKey(group));
    if (auto r = exec(*query, "default status"); !r)
        return r.error();
    if (query->next())
        return statusFromRow(*query);
    if (group != StatusGroup::New)
        return defaultStatus(StatusGroup::New);
    auto all = statuses();
    if (!all)
        return all.error();
    if (all->isEmpty())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "No order statuses are defined."));
    return all->constFirst();
}

Result<Status> CatalogStore::addStatus(const QString &rawName, StatusGroup group, const QString &rawColor)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r.error();
    const QString name = rawName.simplified();
    if (name.isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::storage", "A status needs a name."));
    if (name.size() > 60)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::storage", "A status name can have at most 60 characters."));
    QString color = rawColor.isEmpty() ? QStringLiteral("#808080") : rawColor;
    if (!QColor::isValidColorName(color) || !color.startsWith(u'#'))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::storage", "%1 is not a colour; use the form #RRGGBB.").arg(rawColor));
    color = QColor::fromString(color).name();

    Transaction transaction(*m_db, "add status");
    if (!transaction.started())
        return transaction.started().error();
    QSqlDatabase db = m_db->connection();
    if (statusByName(name))
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::storage", "A status named \"%1\" exists already.").arg(name));
    QSqlQuery position(db);
    if (!position.exec(QStringLiteral("SELECT COALESCE(MAX(position), -1) + 1 FROM statuses")) || !position.next())
        return toError(position.lastError(), "next status position");
    auto insert = prepare(db,
                          QStringLiteral("INSERT INTO statuses (name, color, group_key, position, buyer_name) "
                                         "VALUES (?, ?, ?, ?, ?) RETURNING id"),
                          "add status");
    if (!insert)
        return insert.error();
    Status status{0, name, color, group, position.value(0).toInt(), name};
    insert->addBindValue(status.name);
    insert->addBindValue(status.color);
    insert->addBindValue(statusGroupKey(group));
    insert->addBindValue(status.position);
    insert->addBindValue(status.buyerName);
    if (auto r = exec(*insert, "add status"); !r)
        return r.error();
    if (!insert->next())
        return toError(insert->lastError(), "add status id");
    status.id = insert->value(0).toLongLong();
    insert->finish();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return status;
}

Result<QString> CatalogStore::checkedName(const QString &raw, qint64 exceptId)
{
    const QString name = raw.simplified();
    if (name.isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::storage", "A status needs a name."));
    if (name.size() > 60)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::storage", "A status name can have at most 60 characters."));
    auto existing = statusByName(name);
    if (existing && existing->id != exceptId)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::storage", "A status named \"%1\" exists already.").arg(name));
    return name;
}

Result<void> CatalogStore::updateColumn(qint64 id, const char *column, const QVariant &value)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"UPDATE statuses SET " + QLatin1StringView(column) + u" = ? WHERE id = ?");
    q.addBindValue(value);
    q.addBindValue(id);
    if (auto r = exec(q, "update status"); !r)
        return r;
    if (q.numRowsAffected() != 1)
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "The status no longer exists."));
    return {};
}

Result<void> CatalogStore::renameStatus(qint64 id, const QString &raw)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    auto name = checkedName(raw, id);
    if (!name)
        return name.error();
    return updateColumn(id, "name", *name);
}

Result<void> CatalogStore::setStatusColor(qint64 id, const QString &color)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (!QColor::isValidColorName(color) || !color.startsWith(u'#'))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::storage", "%1 is not a colour; use the form #RRGGBB.").arg(color));
    return updateColumn(id, "color", QColor::fromString(color).name());
}

Result<void> CatalogStore::setStatusGroup(qint64 id, StatusGroup group)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    return updateColumn(id, "group_key", statusGroupKey(group));
}

Result<void> CatalogStore::setBuyerName(qint64 id, const QString &buyerName)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    return updateColumn(id, "buyer_name", buyerName.simplified());
}

Result<void> CatalogStore::moveStatus(qint64 id, int direction)
{
    auto list = statuses();
    if (!list)
        return list.error();
    const auto it = std::find_if(list->begin(), list->end(), [id](const Status &s) { return s.id == id; });
    if (it == list->end())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "The status no longer exists."));
    const qsizetype from = it - list->begin();
    const qsizetype to = from + (direction < 0 ? -1 : 1);
    if (to < 0 || to >= list->size())
        return {};
    list->swapItemsAt(from, to);
    Transaction transaction(*m_db, "reorder statuses");
    if (!transaction.started())
        return transaction.started().error();
    for (int i = 0; i < list->size(); ++i)
        if (auto r = updateColumn(list->at(i).id, "position", i); !r)
            return r;
    return transaction.commit();
}

Result<qint64> CatalogStore::ordersWithStatus(qint64 id)
{
    QSqlQuery q(m_db->connection());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM orders WHERE status_id = ?"));
    q.addBindValue(id);
    if (auto r = exec(q, "orders with status"); !r)
        return r.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Result<int> CatalogStore::removeStatus(qint64 id, qint64 moveTo, const QString &actor)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r.error();
    auto list = statuses();
    if (!list)
        return list.error();
    auto find = [&](qint64 wanted) {
        return std::find_if(list->cbegin(), list->cend(), [wanted](const Status &s) { return s.id == wanted; });
    };
    if (find(id) == list->cend())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "The status no longer exists."));
    if (list->size() == 1)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::storage", "The last status cannot be removed: orders need one."));
    if (moveTo == id || find(moveTo) == list->cend())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::storage", "Choose another status for the orders of the removed one."));
    const QString target = find(moveTo)->name;
    const QString removed = find(id)->name;

    Transaction transaction(*m_db, "remove status");
    if (!transaction.started())
        return transaction.started().error();
    QList<qint64> ids;
    {
        QSqlQuery q(m_db->connection());
        q.prepare(QStringLiteral("SELECT id FROM orders WHERE status_id = ?"));
        q.addBindValue(id);
        if (auto r = exec(q, "orders of removed status"); !r)
            return r.error();
        while (q.next())
            ids << q.value(0).toLongLong();
    }
    OrderStore store(m_db);
    const QString reason = QCoreApplication::translate("sd::storage", "status %1 removed").arg(removed);
    for (qint64 orderId : ids)
        if (auto r = store.apply(OrderChange::setStatus(orderId, target, {actor, reason, 0})); !r)
            return r.error();
    QSqlQuery del(m_db->connection());
    del.prepare(QStringLiteral("DELETE FROM statuses WHERE id = ?"));
    del.addBindValue(id);
    if (auto r = exec(del, "remove status"); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return int(ids.size());
}

Result<QList<Tag>> CatalogStore::tags()
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(QStringLiteral("SELECT id, name, color FROM tags ORDER BY name")))
        return toError(query.lastError(), "list tags");
    QList<Tag> list;
    while (query.next())
        list.append({query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString()});
    return list;
}

} // namespace sd::storage
