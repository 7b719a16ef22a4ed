#pragma once

#include "automation/engine.h"
#include "storage/orderstore.h"

#include <QJsonArray>

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

// Runs rules over past orders and says what would happen, touching nothing: it only reads. Triggers are not
// consulted (a dry run asks "if this rule ran on this order now"); scope and conditions are.
Result<DryRunReport> dryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options);

// The same over orders already in memory (the benchmark); withTraces: every condition's value for every pair.
DryRunReport dryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                          bool withTraces);

} // namespace sd::automation
