#pragma once

#include "automation/rule.h"
#include "domain/order.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <vector>

namespace sd::automation {

// One tested condition in a trace: what it asked, what the order had, and the answer.
struct TraceEntry
{
    QString path; // "conditions.all[1]", with "@line 2" inside a line item group
    QString field;
    QString op;
    QJsonArray expected;
    QString actual;
    bool result = false;
};

// Why a rule did or did not fire for one order.
struct Trace
{
    bool matched = false;
    QString reason; // translated, one sentence
    QList<TraceEntry> conditions;

    QJsonObject toJson() const;
};

// A chain of rule actions stops at this depth: a change made by a rule carries its cause depth + 1.
inline constexpr int kMaxCauseDepth = 5;

// A rule compiled once: field lookups, operators and operands resolved to enums and numbers, patterns compiled,
// the condition tree flattened into an array. matches() is the fast path; trace() explains.
class CompiledRule
{
public:
    static Result<CompiledRule> compile(Rule rule);

    const Rule &rule() const { return m_rule; }
    bool matches(const domain::Order &order, qint64 nowMs) const;
    Trace trace(const domain::Order &order, qint64 nowMs) const;

private:
    struct Node
    {
        Condition::Kind kind = Condition::Kind::All;
        Condition::Quantifier quantifier = Condition::Quantifier::Any;
        FieldId field = FieldId::Marketplace;
        Op op = Op::Eq;
        qint64 a = 0;
        qint64 b = 0;
        QString text;
        QStringList list;
        QRegularExpression pattern;
        std::vector<int> children;
        QString path;
        QString fieldKey;
        QString opKey;
        QJsonArray values;
    };

    int add(const Condition &condition, const QString &path);
    bool inScope(const domain::Order &order) const;
    bool eval(int index, const domain::Order &order, const domain::LineItem *item, qint64 nowMs) const;
    bool evalTraced(int index, const domain::Order &order, const domain::LineItem *item, qint64 nowMs,
                    const QString &suffix, QList<TraceEntry> &out) const;
    bool test(const Node &node, const domain::Order &order, const domain::LineItem *item, qint64 nowMs) const;

    Rule m_rule;
    std::vector<Node> m_nodes;
};

// What an action would do to an order, for dry runs and traces: {"action", "label", "plan", "configured", ...}.
QJsonObject planAction(const Action &action, const domain::Order &order);
// A call-URL address with {orderId} {orderIdExternal} {orderDate} {salesChannel} {orderStatus} {paymentStatus}
// {paymentMethod} replaced by the order's values, URL-encoded.
QString expandPlaceholders(const QString &url, const domain::Order &order);
// The text a field has on an order (line item fields on the item), as traces show it.
QString fieldText(FieldId field, const domain::Order &order, const domain::LineItem *item, qint64 nowMs);

} // namespace sd::automation
