#pragma once

#include "rules.h"

#include <QStringList>

namespace sd::cli {

// sellerdesk-cli fiscal receipt ORDER [--printer ADDR]
//                fiscal report daily [--date YYYY-MM-DD] [--printer ADDR]
//                fiscal status [--printer ADDR]
//                fiscal receipts [--state S] [--order ORDER]
//                fiscal resolve ORDER --printed [--number N] | --not-printed
//                fiscal simulate [--port P] [--journal FILE] [--faults SPEC] [--vat A=23,B=8,...]
// ADDR is tcp://HOST:PORT or serial:/dev/ttyX; without --printer the workstation's fiscal printer is used.
int fiscal(const QStringList &words, const OpenDatabase &open);
QString fiscalHelp();

} // namespace sd::cli
