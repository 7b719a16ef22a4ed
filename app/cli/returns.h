#pragma once

#include "rules.h"

namespace sd::cli {

// `returns add|list|show|advance|attach|import|settings` (G1, RMA).
int returnsCommand(const QStringList &words, const OpenDatabase &open, const QString &profileDir);
QString returnsHelp();

} // namespace sd::cli
