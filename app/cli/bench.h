#pragma once

#include "util/result.h"

#include <QTextStream>

namespace sd::cli {

// Generates realistic checkout forms, imports them into a fresh SQLite profile and compares the speed with a
// plain sqlite3 bulk insert of the very rows the import wrote (the physical limit on this machine).
Result<void> benchImport(int orders, QTextStream &out);

} // namespace sd::cli
