#pragma once

#include "util/result.h"

#include <QTextStream>

namespace sd::cli {

// The packing station's reaction per scan on a profile with N orders: an order's code (lookup + opening its
// packing), each item's code (lookup of the line + the session written), the order.packed event at the end.
Result<void> benchScan(int orders, int samples, QTextStream &out);

} // namespace sd::cli
