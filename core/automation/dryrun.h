#pragma once

#include "automation/engine.h"
#include "automation/stocklevels.h"
#include "storage/orderstore.h"

#include <QIODevice>
#include <QJsonArray>

#include <memory>
#include <vector>

namespace sd::automation {

struct DryRunOptions
{
    QList<qint64> orderIds; // these orders, or
    QDateTime since;        // every order created since then (both empty: every order)
    qint64 nowMs = 0;       // 0: now
};

struct DryRunReport
{
    int orders = 0;
    int matches = 0;    // (order, rule) pairs that would fire
    QJsonArray results; // per order: its rules, each matched or not, why, and what its actions would do
};

// A dry run's outcome kept compact: per order only which rules matched. An order's JSON (traces and planned
// actions, the same as DryRunReport::results holds) is made when it is asked for, so a dry run over 100,000 orders
// costs the matching, and a page, one order or a streamed export costs only what it shows. Plans and traces are
// pure functions of the compiled rule, the order snapshot held here and the run's instant.
class DryRunPlan
{
public:
    DryRunPlan() = default;
    DryRunPlan(QList<CompiledRule> rules, qint64 nowMs, bool withTraces);

    // Evaluates every rule on the order and keeps it when a rule matched (every order when withTraces).
    void add(const domain::Order &order);
    // The stock levels the rules that read the stock see (for matching and for the traces made later).
    void setStock(StockLevels levels) { m_stock = std::make_shared<const StockLevels>(std::move(levels)); }

    int orders() const { return m_orders; }
    int matches() const { return m_matches; }
    // Orders with a result (with traces: every order; without: the orders some rule matched).
    int size() const { return int(m_entries.size()); }
    QJsonObject result(int index) const;
    QJsonArray results(int from = 0, int count = -1) const;
    DryRunReport report() const;
    // Writes {"dryRun": true, "matches": N, "orders": M, "results": [...]} one order at a time, byte for byte what
    // QJsonDocument::toJson(Indented) makes of the whole object.
    void writeJson(QIODevice &out) const;

private:
    struct Entry
    {
        domain::Order order;
        std::vector<int> matched; // indices into m_rules
    };

    std::shared_ptr<const QList<CompiledRule>> m_rules;
    qint64 m_now = 0;
    bool m_withTraces = false;
    int m_orders = 0;
    int m_matches = 0;
    std::vector<Entry> m_entries;
    std::shared_ptr<const StockLevels> m_stock;
};

// Runs rules over past orders and says what would happen, touching nothing: it only reads. Triggers are not
// consulted (a dry run asks "if this rule ran on this order now"); scope and conditions are.
Result<DryRunPlan> planDryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options);
Result<DryRunReport> dryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options);

// The same over orders already in memory (the benchmark); withTraces: every condition's value for every pair.
DryRunPlan planDryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                            bool withTraces);
DryRunReport dryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                          bool withTraces);

} // namespace sd::automation
