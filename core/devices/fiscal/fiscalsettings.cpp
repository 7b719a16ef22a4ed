#include "devices/fiscal/fiscalsettings.h"

#include "devices/fiscal/novitusprinter.h"
#include "devices/fiscal/posnetprinter.h"

#include <QSettings>

namespace sd::devices::fiscal {

namespace {
// The printer routing's key (the settings page writes it); "fiscal/printer" is what earlier versions wrote.
constexpr auto kSettingsKey = "printers/fiscal";
constexpr auto kOldSettingsKey = "fiscal/printer";
} // namespace

QString configuredPrinter()
{
    const QString env = qEnvironmentVariable("SD_FISCAL_PRINTER");
    if (!env.isEmpty())
        return env;
    QSettings settings;
    const QString current = settings.value(QLatin1StringView(kSettingsKey)).toString();
    return current.isEmpty() ? settings.value(QLatin1StringView(kOldSettingsKey)).toString() : current;
}

void setConfiguredPrinter(const QString &address)
{
    QSettings settings;
    settings.remove(QLatin1StringView(kOldSettingsKey));
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
    std::unique_ptr<FiscalPrinter> printer;
    if (FiscalTransport::protocolOf(address) == u"novitus")
        printer = std::make_unique<NovitusPrinter>(std::move(*transport), timeoutMs);
    else
        printer = std::make_unique<PosnetPrinter>(std::move(*transport), timeoutMs);
    return printer;
}

} // namespace sd::devices::fiscal
