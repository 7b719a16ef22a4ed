#pragma once

#include "rules.h"

namespace sd::cli {

// `company ...`, `series ...`, `invoice ...`, `documents ...`: command is the first word; words follow it.
int documentsCommand(const QString &command, const QStringList &words, const OpenDatabase &open);
QString documentsHelp();
// The command line draws a PDF (and so needs a QGuiApplication).
bool documentsNeedGui(const QStringList &arguments);

} // namespace sd::cli
