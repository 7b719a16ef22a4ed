#pragma once

#include "rules.h"

namespace sd::cli {

// `products ...`, `warehouses ...`, `stock ...`, `offers ...` and `bench sync ...`: command is the first word, words
// follow it. profileDir: where the secrets of marketplace accounts are (empty with --database).
int stockCommand(const QString &command, const QStringList &words, const OpenDatabase &open, const QString &profileDir);
QString stockHelp();

} // namespace sd::cli
