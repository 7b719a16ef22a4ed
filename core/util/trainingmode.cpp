#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QHostAddress>

#include <atomic>

namespace sd::training {

namespace {
std::atomic_bool s_active = false;
}

void setActive(bool active)
{
    s_active = active;
}

bool active()
{
    return s_active;
}

QString markText()
{
    return QStringLiteral("TRAINING / SZKOLENIE");
}

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost"_qs, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

Result<void> checkOutbound(const QUrl &url)
{
    if (!active() || isLoopback(url))
        return {};
    return makeError(Error::Code::Invalid,
                     QCoreApplication::translate("sd::training",
                                                 "This is a training profile: it works only with the training "
                                                 "services on this computer and does not contact %1. Create a new "
                                                 "profile for real work.")
                         .arg(url.host()),
                     u"training mode blocked " + url.toDisplayString());
}

} // namespace sd::training
