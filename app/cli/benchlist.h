#pragma once

#include "storage/database.h"
#include "util/result.h"

#include <QTextStream>

namespace sd::cli {

// Builds (once, then reuses) a profile with N orders and measures what the order list asks of it: the first
// screen, a tab switch, a status + payment filter and a search by buyer login, plus the peak memory.
Result<void> benchList(int orders, QTextStream &out);

// The benchmark profile with N generated orders in dir: built once (marked complete), upgraded to the current
// schema when it is older, reused after that.
Result<std::shared_ptr<storage::Database>> openBenchProfile(const QString &dir, int orders, QTextStream &out);

} // namespace sd::cli
