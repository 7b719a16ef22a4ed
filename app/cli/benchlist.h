#pragma once

#include "util/result.h"

#include <QTextStream>

namespace sd::cli {

// Builds (once, then reuses) a profile with N orders and measures what the order list asks of it: the first
// screen, a tab switch, a status + payment filter and a search by buyer login, plus the peak memory.
Result<void> benchList(int orders, QTextStream &out);

} // namespace sd::cli
