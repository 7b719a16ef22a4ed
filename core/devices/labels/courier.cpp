#include "devices/labels/courier.h"

#include <QEventLoop>
#include <QTimer>

namespace sd::devices::labels {

void waitMs(qint64 ms)
{
    if (ms <= 0)
        return;
    QEventLoop loop;
    QTimer::singleShot(int(ms), &loop, &QEventLoop::quit);
    loop.exec();
}

QString receiverName(const domain::Order &order)
{
    const domain::Address &a = order.delivery.address;
    QString name = QString(a.firstName + u' ' + a.lastName).trimmed();
    if (name.isEmpty())
        name = QString(order.buyer.firstName + u' ' + order.buyer.lastName).trimmed();
    return name;
}

} // namespace sd::devices::labels
