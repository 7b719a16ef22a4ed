#include "automation/stocklevels.h"

#include "automation/rule.h"
#include "automation/sqlrun.h"

namespace sd::automation {

namespace {

thread_local const StockLevels *t_levels = nullptr;

} // namespace

Result<StockLevels> loadStockLevels(storage::Database &db)
{
    auto q = runSql(db,
                    u"SELECT p.sku, COALESCE(SUM(l.quantity), 0) FROM products p "
                    "LEFT JOIN stock_levels l ON l.product_id = p.id GROUP BY p.sku"_qs,
                    "stock levels");
    if (!q)
        return q.error();
    StockLevels levels;
    while (q->next())
        levels.insert(q->value(0).toString(), q->value(1).toLongLong());
    return levels;
}

bool readsStock(const Condition &condition)
{
    if (condition.kind == Condition::Kind::Test)
        return condition.field == u"item.stock";
    for (const Condition &child : condition.children)
        if (readsStock(child))
            return true;
    return false;
}

StockScope::StockScope(const StockLevels *levels)
    : m_previous(t_levels)
{
    if (levels) // none: the levels of an outer scope stay
        t_levels = levels;
}

StockScope::~StockScope()
{
    t_levels = m_previous;
}

bool StockScope::active()
{
    return t_levels != nullptr;
}

qint64 StockScope::of(const QString &sku)
{
    if (!t_levels)
        return -1;
    const auto it = t_levels->constFind(sku);
    return it == t_levels->constEnd() ? -1 : *it;
}

} // namespace sd::automation
