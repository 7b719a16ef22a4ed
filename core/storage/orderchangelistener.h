#pragma once

#include "storage/database.h"

#include <QObject>

#include <memory>

class QSqlDriver;

namespace sd::storage {

// Live refresh across workstations on PostgreSQL: OrderStore::apply sends NOTIFY on kChannel in the transaction of
// a change (delivered at its commit, never for a rollback); this listens on this thread's connection and says when
// another connection changed orders. SQLite: a no-op (one profile, one process writes it).
class OrderChangeListener : public QObject
{
    Q_OBJECT

public:
    static constexpr char kChannel[] = "sd_orders";

    explicit OrderChangeListener(std::shared_ptr<Database> db, QObject *parent = nullptr);
    ~OrderChangeListener() override;

    // Subscribes; the thread's event loop delivers the notifications (QPSQL reads them with a socket notifier).
    Result<void> start();
    bool listening() const { return m_driver != nullptr; }

Q_SIGNALS:
    void changedElsewhere();

private:
    std::shared_ptr<Database> m_db;
    QSqlDriver *m_driver = nullptr;
};

} // namespace sd::storage
