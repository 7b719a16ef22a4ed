#include "devices/printing/printerrouting.h"

#include "access/session.h"
#include <QCoreApplication>
#include <QSettings>
#include <QSysInfo>

namespace sd::devices::printing {

QString PrinterRouting::settingsKey(Role role)
{
    switch (role) {
    case Role::Document:
        return u"printers/document"_qs;
    case Role::Label:
        return u"printers/label"_qs;
    case Role::Fiscal:
        return u"printers/fiscal"_qs;
    }
    return {};
}

QString PrinterRouting::roleName(Role role)
{
    switch (role) {
    case Role::Document:
        return QCoreApplication::translate("sd::printing", "Document printer");
    case Role::Label:
        return QCoreApplication::translate("sd::printing", "Label printer");
    case Role::Fiscal:
        return QCoreApplication::translate("sd::printing", "Fiscal printer");
    }
    return {};
}

QString PrinterRouting::text(Role role)
{
    return QSettings().value(settingsKey(role)).toString();
}

std::optional<PrinterAddress> PrinterRouting::printer(Role role)
{
    const QString value = text(role);
    if (value.isEmpty() || role == Role::Fiscal)
        return std::nullopt;
    auto parsed = PrinterAddress::parse(value);
    if (!parsed)
        return std::nullopt;
    return *parsed;
}

Result<void> PrinterRouting::setPrinter(Role role, const QString &address)
{
    QSettings settings;
    const QString value = address.trimmed();
    if (value.isEmpty()) {
        settings.remove(settingsKey(role));
        return {};
    }
    if (role != Role::Fiscal) {
        auto parsed = PrinterAddress::parse(value);
        if (!parsed)
            return parsed.error();
        settings.setValue(settingsKey(role), parsed->toString());
        return {};
    }
    settings.setValue(settingsKey(role), value);
    return {};
}

QString PrinterRouting::workstation()
{
    return access::Session::workstation();
}

void PrinterRouting::setWorkstation(const QString &name)
{
    access::Session::setWorkstation(name);
}

} // namespace sd::devices::printing
