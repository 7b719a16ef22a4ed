#pragma once

#include "storage/database.h"

#include <QList>
#include <QString>

#include <memory>

namespace sd::storage {

// The group a status belongs to: it decides where an order counts (new work, shipped, closed...).
enum class StatusGroup { New, InProgress, Shipped, Closed, Cancelled };
QString statusGroupKey(StatusGroup group);
std::optional<StatusGroup> statusGroupFromKey(QStringView key);
QString statusGroupDisplayName(StatusGroup group);

struct Status
{
    qint64 id = 0;
    QString name;
    QString color; // #RRGGBB
    StatusGroup group = StatusGroup::New;
    int position = 0;
    QString buyerName; // what the buyer is told ("Your order is on its way")
};

struct Tag
{
    qint64 id = 0;
    QString name;
    QString color;
};

// User-defined statuses and tags: unlimited rows.
class CatalogStore
{
public:
    explicit CatalogStore(std::shared_ptr<Database> db);

    Result<QList<Status>> statuses();
    Result<Status> statusByName(const QString &name);
    Result<Status> addStatus(const QString &name, StatusGroup group, const QString &color = {});
    // The status new orders land in: the first of the group (New, or Cancelled for an order cancelled already).
    Result<Status> defaultStatus(StatusGroup group);

    Result<void> renameStatus(qint64 id, const QString &name);
    Result<void> setStatusColor(qint64 id, const QString &color);
    Result<void> setStatusGroup(qint64 id, StatusGroup group);
    Result<void> setBuyerName(qint64 id, const QString &buyerName);
    // Moves the status one place up (-1) or down (+1) in the tab order.
    Result<void> moveStatus(qint64 id, int direction);
    Result<qint64> ordersWithStatus(qint64 id);
    // Removes a status; its orders move first to moveTo, each through OrderStore::apply (history and event),
    // so no order is ever left without a status. The last status cannot be removed.
    Result<int> removeStatus(qint64 id, qint64 moveTo, const QString &actor);

    Result<QList<Tag>> tags();

private:
    Result<QString> checkedName(const QString &raw, qint64 exceptId);
    Result<void> updateColumn(qint64 id, const char *column, const QVariant &value);

    std::shared_ptr<Database> m_db;
};

} // namespace sd::storage
