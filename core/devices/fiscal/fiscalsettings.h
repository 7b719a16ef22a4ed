#pragma once

#include "devices/fiscal/fiscalprinter.h"

#include <memory>

namespace sd::devices::fiscal {

// The workstation's fiscal printer address: the SD_FISCAL_PRINTER environment variable when set (scripts, the
// headless runner, training), else the per-workstation setting (QSettings "printers/fiscal", the printer routing's key;
// "fiscal/printer" still read). Empty: none.
QString configuredPrinter();
void setConfiguredPrinter(const QString &address);

// A driver for the address: "tcp://HOST:PORT" and "serial:/dev/ttyX" speak Posnet; with "?protocol=novitus" they
// speak the Novitus XML protocol.
Result<std::unique_ptr<FiscalPrinter>> openPrinter(const QString &address, int timeoutMs = 5000);

} // namespace sd::devices::fiscal
