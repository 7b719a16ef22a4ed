#include "ruletext.h"

#include "automation/catalog.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QTreeWidget>

namespace sd::ui::ruletext {

using namespace automation;

QString choice(const QString &key)
{
    static const QHash<QString, const char *> labels = {
        {u"unpaid"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "unpaid")},
        {u"paid"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "paid")},
        {u"partially-paid"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "partly paid")},
        {u"overpaid"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "overpaid")},
        {u"refunded"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "refunded")},
        {u"ONLINE"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "online payment")},
        {u"CASH_ON_DELIVERY"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "cash on delivery")},
        {u"WIRE_TRANSFER"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "bank transfer")},
        {u"SPLIT_PAYMENT"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "split payment")},
        {u"EXTENDED_TERM"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "deferred payment")},
        {u"CASH"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "cash")},
        {u"COMPANY_PURCHASE"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "company purchase")},
        {u""_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "(none)")},
        {u"order-date"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "the order date")},
        {u"payment"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "the payment")},
        {u"status-change"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "the last status change")},
        {u"GET"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "GET")},
        {u"POST"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "POST")},
        {u"always"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "at any time")},
        {u"working"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "within working hours")},
        {u"outside"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "outside working hours")},
        {u"every"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "every message")},
        {u"first"_qs, QT_TRANSLATE_NOOP("sd::ui::RuleText", "only the first message")},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : QCoreApplication::translate("sd::ui::RuleText", it.value());
}

QString value(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool() ? QCoreApplication::translate("sd::ui::RuleText", "yes")
                          : QCoreApplication::translate("sd::ui::RuleText", "no");
    if (v.isDouble())
        return QString::number(v.toDouble());
    return choice(v.toString());
}

QString duration(int minutes)
{
    const int days = minutes / 1440;
    const int hours = minutes / 60;
    if (minutes > 0 && days * 1440 == minutes)
        return QCoreApplication::translate("sd::ui::RuleText", "%n day(s)", nullptr, days);
    if (minutes > 0 && hours * 60 == minutes)
        return QCoreApplication::translate("sd::ui::RuleText", "%n hour(s)", nullptr, hours);
    return QCoreApplication::translate("sd::ui::RuleText", "%n minute(s)", nullptr, minutes);
}

QString params(const QJsonObject &params, const QList<ParamDef> &defs)
{
    QStringList parts;
    for (const ParamDef &d : defs) {
        const QJsonValue v = params.value(QString::fromLatin1(d.key));
        if (v.isUndefined())
            continue;
        const QString text = d.type == ParamType::Minutes ? duration(v.toInt()) : value(v);
        parts.append(Catalog::label(d.label) + u": "_qs + text);
    }
    return parts.join(u"; ");
}

QString trigger(const Rule &rule)
{
    const TriggerDef *def = Catalog::instance().trigger(rule.trigger);
    if (!def)
        return rule.trigger;
    const QString p = params(rule.triggerParams, def->params);
    return p.isEmpty() ? Catalog::label(def->label) : Catalog::label(def->label) + u" (" + p + u')';
}

QString condition(const Condition &c)
{
    switch (c.kind) {
    case Condition::Kind::All:
        return QCoreApplication::translate("sd::ui::RuleText", "All of these hold (AND)");
    case Condition::Kind::Any:
        return QCoreApplication::translate("sd::ui::RuleText", "Any of these holds (OR)");
    case Condition::Kind::Not:
        return QCoreApplication::translate("sd::ui::RuleText", "Not (NOT)");
    case Condition::Kind::Items:
        switch (c.quantifier) {
        case Condition::Quantifier::Any:
            return QCoreApplication::translate("sd::ui::RuleText", "At least one line item:");
        case Condition::Quantifier::All:
            return QCoreApplication::translate("sd::ui::RuleText", "Every line item:");
        case Condition::Quantifier::None:
            return QCoreApplication::translate("sd::ui::RuleText", "No line item:");
        }
        break;
    case Condition::Kind::Test:
        break;
    }
    const FieldDef *field = Catalog::instance().field(c.field);
    const OperatorDef *op = Catalog::instance().op(c.op);
    QString text = (field ? Catalog::label(field->label) : c.field) + u' ' + (op ? Catalog::label(op->label) : c.op);
    QStringList values;
    for (const QJsonValue &v : c.values)
        values.append(value(v));
    if (op && op->arity == Arity::Range && values.size() == 2)
        return text + u' ' +
               QCoreApplication::translate("sd::ui::RuleText", "%1 and %2").arg(values.at(0), values.at(1));
    if (!values.isEmpty())
        text += u' ' + values.join(u", ");
    return text;
}

QString action(const Action &a)
{
    const ActionDef *def = Catalog::instance().action(a.type);
    if (!def)
        return a.type;
    QString text = Catalog::label(def->label);
    const QString p = params(a.params, def->params);
    if (!p.isEmpty())
        text += u" — " + p;
    if (a.delayMinutes > 0)
        text += u", " + QCoreApplication::translate("sd::ui::RuleText", "after %1").arg(duration(a.delayMinutes));
    if (a.stopOnFailure)
        text += u", " + QCoreApplication::translate("sd::ui::RuleText", "stops the rule if it fails");
    if (!def->configured)
        text += u" " + QCoreApplication::translate("sd::ui::RuleText", "(not configured yet)");
    return text;
}

namespace {

void paramLines(const QJsonObject &params, const QList<ParamDef> &defs, int depth, QStringList &out)
{
    for (const ParamDef &d : defs) {
        const QJsonValue v = params.value(QString::fromLatin1(d.key));
        if (!v.isUndefined())
            out.append(QString(depth * 2, u' ') + Catalog::label(d.label) + u": "_qs +
                       (d.type == ParamType::Minutes ? duration(v.toInt()) : value(v)));
    }
}

void describeCondition(const Condition &c, int depth, QStringList &out)
{
    out.append(QString(depth * 2, u' ') + condition(c));
    for (const Condition &child : c.children)
        describeCondition(child, depth + 1, out);
}

} // namespace

QStringList describe(const Rule &rule, const QHash<QString, QString> &accountNames)
{
    QStringList out;
    out.append(QCoreApplication::translate("sd::ui::RuleText", "Name: %1").arg(rule.name));
    if (!rule.group.isEmpty())
        out.append(QCoreApplication::translate("sd::ui::RuleText", "Group: %1").arg(rule.group));
    if (!rule.description.isEmpty())
        out.append(QCoreApplication::translate("sd::ui::RuleText", "Description: %1").arg(rule.description));
    if (!rule.owner.isEmpty())
        out.append(QCoreApplication::translate("sd::ui::RuleText", "Owner: %1").arg(rule.owner));
    out.append(rule.enabled ? QCoreApplication::translate("sd::ui::RuleText", "Enabled")
                            : QCoreApplication::translate("sd::ui::RuleText", "Disabled"));
    QStringList accounts;
    for (const QString &key : rule.accounts)
        accounts.append(accountNames.value(key, key));
    if (!accounts.isEmpty())
        out.append(QCoreApplication::translate("sd::ui::RuleText", "Only for accounts: %1").arg(accounts.join(u", ")));
    if (!rule.couriers.isEmpty())
        out.append(
            QCoreApplication::translate("sd::ui::RuleText", "Only for couriers: %1").arg(rule.couriers.join(u", ")));
    if (rule.limitPerOrder > 0)
        out.append(QCoreApplication::translate("sd::ui::RuleText", "At most %n time(s) per order", nullptr,
                                               rule.limitPerOrder));
    // One line per part and per parameter, so the version diff marks exactly the parameter that changed.
    const TriggerDef *trigger = Catalog::instance().trigger(rule.trigger);
    out.append(QCoreApplication::translate("sd::ui::RuleText", "When: %1")
                   .arg(trigger ? Catalog::label(trigger->label) : rule.trigger));
    if (trigger)
        paramLines(rule.triggerParams, trigger->params, 2, out);
    out.append(QCoreApplication::translate("sd::ui::RuleText", "If:"));
    describeCondition(rule.conditions, 1, out);
    out.append(QCoreApplication::translate("sd::ui::RuleText", "Then:"));
    auto actionLines = [&](const Action &a, int depth, const QString &format) {
        const ActionDef *def = Catalog::instance().action(a.type);
        out.append(QString(depth * 2, u' ') + format.arg(def ? Catalog::label(def->label) : a.type));
        if (def)
            paramLines(a.params, def->params, depth + 2, out);
        if (a.delayMinutes > 0)
            out.append(QString((depth + 2) * 2, u' ') +
                       QCoreApplication::translate("sd::ui::RuleText", "Delay: %1").arg(duration(a.delayMinutes)));
        if (a.stopOnFailure)
            out.append(QString((depth + 2) * 2, u' ') +
                       QCoreApplication::translate("sd::ui::RuleText", "Stops the rule if it fails"));
    };
    for (const Action &a : rule.actions) {
        actionLines(a, 1, QCoreApplication::translate("sd::ui::RuleText", "Action: %1"));
        for (const Action &f : a.onFailure)
            actionLines(f, 3, QCoreApplication::translate("sd::ui::RuleText", "If it fails: %1"));
    }
    return out;
}

QStringList diff(const QStringList &a, const QStringList &b)
{
    // Longest common subsequence of lines; rules are short, so the quadratic table is fine.
    const qsizetype n = a.size(), m = b.size();
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j] = a.at(i) == b.at(j) ? lcs[i + 1][j + 1] + 1 : qMax(lcs[i + 1][j], lcs[i][j + 1]);
    QStringList out;
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            out.append(u"  " + a.at(i));
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) { // on a tie the removal first, as diffs read
            out.append(u"+ " + b.at(j++));
        } else {
            out.append(u"- " + a.at(i++));
        }
    }
    return out;
}

void fillTrace(QTreeWidget *tree, const QJsonObject &trace)
{
    tree->clear();
    tree->setColumnCount(5);
    tree->setHeaderLabels({QCoreApplication::translate("sd::ui::RuleText", "Condition"),
                           QCoreApplication::translate("sd::ui::RuleText", "Test"),
                           QCoreApplication::translate("sd::ui::RuleText", "Expected"),
                           QCoreApplication::translate("sd::ui::RuleText", "Order has"),
                           QCoreApplication::translate("sd::ui::RuleText", "Result")});
    const Catalog &catalog = Catalog::instance();
    for (const QJsonValue &v : trace.value(u"conditions").toArray()) {
        const QJsonObject e = v.toObject();
        const QString fieldKey = e.value(u"field").toString();
        const FieldDef *field = catalog.field(fieldKey);
        const OperatorDef *op = catalog.op(e.value(u"op").toString());
        QStringList expected;
        for (const QJsonValue &x : e.value(u"expected").toArray())
            expected.append(value(x));
        const bool ok = e.value(u"result").toBool();
        QString test =
            fieldKey == u"items"
                ? QCoreApplication::translate("sd::ui::RuleText", "line items: %1").arg(e.value(u"op").toString())
                : (field ? Catalog::label(field->label) : fieldKey) + u' ' +
                      (op ? Catalog::label(op->label) : e.value(u"op").toString());
        auto *item = new QTreeWidgetItem(tree, {e.value(u"path").toString(), test, expected.join(u", "),
                                                choice(e.value(u"actual").toString()),
                                                ok ? QCoreApplication::translate("sd::ui::RuleText", "holds")
                                                   : QCoreApplication::translate("sd::ui::RuleText", "fails")});
        const QColor colour = ok ? QColor(u"#d8f3dc"_qs) : QColor(u"#fadbd8"_qs);
        for (int column = 0; column < 5; ++column)
            item->setBackground(column, colour);
        item->setForeground(4, ok ? QColor(u"#1b5e20"_qs) : QColor(u"#8e1b10"_qs));
        item->setData(4, Qt::UserRole, ok);
    }
    tree->header()->setStretchLastSection(false);
    for (int column = 0; column < 5; ++column)
        tree->resizeColumnToContents(column);
}

} // namespace sd::ui::ruletext
