#pragma once

#include "storage/database.h"
#include "util/result.h"

#include <QHash>
#include <QString>

namespace sd::automation {

// Stock on hand per SKU over all warehouses, for the condition "Line: stock of the product". The engine evaluates
// a rule without touching the database, so whoever evaluates over stored orders (the dispatcher, the dry run) loads
// the levels once per batch and makes them current for this thread with a StockScope. A line whose SKU is no
// product, or an evaluation without loaded levels, reads -1.
using StockLevels = QHash<QString, qint64>;

Result<StockLevels> loadStockLevels(storage::Database &db);

struct Condition;
// Whether the condition tree reads the stock (then the caller loads the levels before evaluating).
bool readsStock(const Condition &condition);

class StockScope
{
public:
    explicit StockScope(const StockLevels *levels);
    ~StockScope();
    StockScope(const StockScope &) = delete;
    StockScope &operator=(const StockScope &) = delete;

    // The stock of the SKU in the current scope, -1 when unknown.
    static qint64 of(const QString &sku);
    static bool active();

private:
    const StockLevels *m_previous;
};

} // namespace sd::automation
