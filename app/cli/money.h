#pragma once

#include "rules.h"

namespace sd::cli {

// `profit ...`, `report ...` and `money ...`: command is the first word, words follow it.
int moneyCommand(const QString &command, const QStringList &words, const OpenDatabase &open);
QString moneyHelp();

} // namespace sd::cli
