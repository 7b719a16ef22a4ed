#include "storage/orderchangelistener.h"

#include "storage/sqlquery.h"

#include <QSqlDriver>

namespace sd::storage {

OrderChangeListener::OrderChangeListener(std::shared_ptr<Database> db, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
{}

OrderChangeListener::~OrderChangeListener()
{
    if (m_driver)
        m_driver->unsubscribeFromNotification(QString::fromLatin1(kChannel));
}

Result<void> OrderChangeListener::start()
{
    if (!m_db->isPostgres() || m_driver)
        return {};
    QSqlDriver *driver = m_db->connection().driver();
    if (!driver || !driver->subscribeToNotification(QString::fromLatin1(kChannel)))
        return toError(driver ? driver->lastError() : QSqlError(), "listen for order changes");
    m_driver = driver;
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString &name, QSqlDriver::NotificationSource source, const QVariant &) {
                // Our own changes come through OrderStore::ordersChanged already.
                if (name == QLatin1StringView(kChannel) && source == QSqlDriver::OtherSource)
                    Q_EMIT changedElsewhere();
            });
    return {};
}

} // namespace sd::storage
