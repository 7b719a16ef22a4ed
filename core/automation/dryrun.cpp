#include "automation/dryrun.h"

#include "automation/sqlrun.h"

namespace sd::automation {

namespace {

QJsonObject orderResult(const QList<CompiledRule> &rules, const domain::Order &order, qint64 nowMs, bool withTraces,
                        int &matches)
{
    QJsonArray list;
    for (const CompiledRule &compiled : rules) {
        const Rule &rule = compiled.rule();
        QJsonObject entry;
        bool matched = false;
        if (withTraces) {
            const Trace trace = compiled.trace(order, nowMs);
            matched = trace.matched;
            entry = trace.toJson();
        } else {
            matched = compiled.matches(order, nowMs);
            if (!matched)
                continue;
            entry.insert(u"matched"_qs, true);
        }
        entry.insert(u"rule"_qs, rule.id);
        entry.insert(u"name"_qs, rule.name);
        entry.insert(u"trigger"_qs, rule.trigger);
        if (matched) {
            ++matches;
            QJsonArray actions;
            for (const Action &action : rule.actions)
                actions.append(planAction(action, order));
            entry.insert(u"actions"_qs, actions);
        }
        list.append(entry);
    }
    return {{u"orderId"_qs, order.id},
            {u"externalId"_qs, order.externalId},
            {u"status"_qs, order.status},
            {u"rules"_qs, list}};
}

} // namespace

DryRunReport dryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                          bool withTraces)
{
    DryRunReport report;
    for (const domain::Order &order : orders) {
        ++report.orders;
        const QJsonObject result = orderResult(rules, order, nowMs, withTraces, report.matches);
        if (withTraces || !result.value(u"rules").toArray().isEmpty())
            report.results.append(result);
    }
    return report;
}

Result<DryRunReport> dryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options)
{
    const qint64 now = options.nowMs ? options.nowMs : QDateTime::currentMSecsSinceEpoch();
    QList<CompiledRule> compiled;
    for (const Rule &rule : rules) {
        auto c = CompiledRule::compile(rule);
        if (!c)
            return c.error();
        compiled.append(std::move(*c));
    }
    QList<qint64> ids = options.orderIds;
    if (ids.isEmpty()) {
        auto q = runSql(store.database(), u"SELECT id FROM orders WHERE created_at >= ? ORDER BY id"_qs,
                        "dry-run orders", {options.since.isValid() ? options.since.toMSecsSinceEpoch() : qint64(0)});
        if (!q)
            return q.error();
        while (q->next())
            ids.append(q->value(0).toLongLong());
    }
    DryRunReport report;
    for (qint64 id : ids) {
        auto order = store.load(id);
        if (!order)
            return order.error();
        ++report.orders;
        report.results.append(orderResult(compiled, *order, now, true, report.matches));
    }
    return report;
}

} // namespace sd::automation
