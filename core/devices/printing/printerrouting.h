#pragma once

#include "devices/printing/printeraddress.h"

#include <optional>

namespace sd::devices::printing {

// Which printer each kind of document goes to, per workstation (QSettings):
//   printers/document   invoices and other A4 documents (a CUPS queue or a PDF file)
//   printers/label      courier and product labels (tcp://HOST:9100 for ZPL, a CUPS queue, or a PDF file)
//   printers/fiscal     the fiscal printer's address (tcp://HOST:PORT or serial:/dev/ttyX); only stored here, the
//                       fiscal module (core/devices/fiscal) reads it
//   workstation/name    the name print jobs carry (default: the host name)
class PrinterRouting
{
public:
    enum class Role { Document, Label, Fiscal };

    static QString settingsKey(Role role);
    static QString roleName(Role role); // translated

    // The configured printer, or nullopt when none is set (Fiscal: use fiscalAddress()).
    static std::optional<PrinterAddress> printer(Role role);
    static QString text(Role role);
    // Checks the address (except Fiscal, whose grammar the fiscal module owns) and stores it; empty clears it.
    static Result<void> setPrinter(Role role, const QString &address);

    static QString workstation();
    static void setWorkstation(const QString &name);
};

} // namespace sd::devices::printing
