#pragma once

#include "marketplace/orderimporter.h"
#include "storage/database.h"

#include <memory>

namespace sd::cli {

// Fills a profile with realistic training orders (the same generator the training marketplace will use),
// spread over the default statuses the way a working shop looks. Running it again adds nothing twice.
Result<marketplace::ImportReport> seedDemoOrders(const std::shared_ptr<storage::Database> &db, int count, quint64 seed);

} // namespace sd::cli
