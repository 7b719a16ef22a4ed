#include "devices/fiscal/fiscalsettings.h"

#include "devices/fiscal/posnetprinter.h"

#include <QSettings>

namespace sd::devices::fiscal {

namespace {
constexpr auto kSettingsKey = "fiscal/printer";
}

QString configuredPrinter()
{
    const QString env = qEnvironmentVariable("SD_FISCAL_PRINTER");
    if (!env.isEmpty())
        return env;
    return QSettings().value(QLatin1StringView(kSettingsKey)).toString();
}

void setConfiguredPrinter(const QString &address)
{
    QSettings settings;
    if (address.isEmpty())
        settings.remove(QLatin1StringView(kSettingsKey));
    else
        settings.setValue(QLatin1StringView(kSettingsKey), address);
}

Result<std::unique_ptr<FiscalPrinter>> openPrinter(const QString &address, int timeoutMs)
{
    auto transport = FiscalTransport::fromAddress(address);
    if (!transport)
        return transport.error();
    std::unique_ptr<FiscalPrinter> printer = std::make_unique<PosnetPrinter>(std::move(*transport), timeoutMs);
    return printer;
}

} // namespace sd::devices::fiscal
