#pragma once

#include "rules.h"

namespace sd::cli {

// `service add|list|show|advance`: warranty / service cases (issue 12 G2).
int serviceCommand(const QStringList &words, const OpenDatabase &open);
QString serviceHelp();

} // namespace sd::cli
