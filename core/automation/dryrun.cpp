#include "automation/dryrun.h"

#include "automation/sqlrun.h"
#include "automation/stocklevels.h"

#include <QJsonDocument>

namespace sd::automation {

DryRunPlan::DryRunPlan(QList<CompiledRule> rules, qint64 nowMs, bool withTraces)
    : m_rules(std::make_shared<const QList<CompiledRule>>(std::move(rules)))
    , m_now(nowMs)
    , m_withTraces(withTraces)
{}

void DryRunPlan::add(const domain::Order &order)
{
    ++m_orders;
    const StockScope stock(m_stock.get());
    std::vector<int> matched;
    const QList<CompiledRule> &rules = *m_rules;
    for (int i = 0; i < rules.size(); ++i)
        if (rules.at(i).matches(order, m_now))
            matched.push_back(i);
    m_matches += int(matched.size());
    if (m_withTraces || !matched.empty())
        m_entries.push_back({order, std::move(matched)});
}

QJsonObject DryRunPlan::result(int index) const
{
    const Entry &e = m_entries.at(size_t(index));
    const StockScope stock(m_stock.get());
    const QList<CompiledRule> &rules = *m_rules;
    QJsonArray list;
    auto next = e.matched.begin();
    for (int i = 0; i < rules.size(); ++i) {
        const bool matched = next != e.matched.end() && *next == i;
        if (matched)
            ++next;
        if (!m_withTraces && !matched)
            continue;
        const Rule &rule = rules.at(i).rule();
        QJsonObject entry;
        if (m_withTraces)
            entry = rules.at(i).trace(e.order, m_now).toJson();
        else
            entry.insert(u"matched"_qs, true);
        entry.insert(u"rule"_qs, rule.id);
        entry.insert(u"name"_qs, rule.name);
        entry.insert(u"trigger"_qs, rule.trigger);
        if (matched) {
            QJsonArray actions;
            for (const Action &action : rule.actions)
                actions.append(planAction(action, e.order));
            entry.insert(u"actions"_qs, actions);
        }
        list.append(entry);
    }
    return {{u"orderId"_qs, e.order.id},
            {u"externalId"_qs, e.order.externalId},
            {u"status"_qs, e.order.status},
            {u"rules"_qs, list}};
}

QJsonArray DryRunPlan::results(int from, int count) const
{
    const int end = count < 0 ? size() : qMin(size(), from + count);
    QJsonArray list;
    for (int i = qMax(0, from); i < end; ++i)
        list.append(result(i));
    return list;
}

DryRunReport DryRunPlan::report() const
{
    return {m_orders, m_matches, results()};
}

void DryRunPlan::writeJson(QIODevice &out) const
{
    // The document with an empty list, cut where the list's items go: "...\"results\": [\n" | "    ]\n}\n".
    const QByteArray frame = QJsonDocument(QJsonObject{{u"dryRun"_qs, true},
                                                       {u"matches"_qs, m_matches},
                                                       {u"orders"_qs, m_orders},
                                                       {u"results"_qs, QJsonArray()}})
                                 .toJson(QJsonDocument::Indented);
    const qsizetype cut = frame.lastIndexOf("[\n") + 2;
    out.write(frame.left(cut));
    const QByteArray indent(8, ' ');
    for (int i = 0; i < size(); ++i) {
        const QByteArray item = QJsonDocument(result(i)).toJson(QJsonDocument::Indented).chopped(1);
        QByteArray indented = indent;
        indented.reserve(item.size() * 2);
        for (char c : item) {
            indented += c;
            if (c == '\n')
                indented += indent;
        }
        indented += i + 1 < size() ? ",\n" : "\n";
        out.write(indented);
    }
    out.write(frame.mid(cut));
}

DryRunPlan planDryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                            bool withTraces)
{
    DryRunPlan plan(rules, nowMs, withTraces);
    for (const domain::Order &order : orders)
        plan.add(order);
    return plan;
}

DryRunReport dryRunOrders(const QList<CompiledRule> &rules, const QList<domain::Order> &orders, qint64 nowMs,
                          bool withTraces)
{
    return planDryRunOrders(rules, orders, nowMs, withTraces).report();
}

Result<DryRunPlan> planDryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options)
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
    DryRunPlan plan(std::move(compiled), now, true);
    // Rules that read the stock see the levels as they are now, loaded once for the whole run.
    if (std::any_of(rules.cbegin(), rules.cend(), [](const Rule &r) { return readsStock(r.conditions); })) {
        auto loaded = loadStockLevels(store.database());
        if (!loaded)
            return loaded.error();
        plan.setStock(std::move(*loaded));
    }
    for (qint64 id : ids) {
        auto order = store.load(id);
        if (!order)
            return order.error();
        plan.add(*order);
    }
    return plan;
}

Result<DryRunReport> dryRun(storage::OrderStore &store, const QList<Rule> &rules, const DryRunOptions &options)
{
    auto plan = planDryRun(store, rules, options);
    if (!plan)
        return plan.error();
    return plan->report();
}

} // namespace sd::automation
