#include "automation/rule.h"

#include "domain/money.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace sd::automation {

namespace {

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

const char *quantifierKey(Condition::Quantifier q)
{
    switch (q) {
    case Condition::Quantifier::Any:
        return "any";
    case Condition::Quantifier::All:
        return "all";
    case Condition::Quantifier::None:
        return "none";
    }
    return "any";
}

QJsonObject conditionToJson(const Condition &c)
{
    auto list = [](const QList<Condition> &children) {
        QJsonArray array;
        for (const Condition &child : children)
            array.append(conditionToJson(child));
        return array;
    };
    switch (c.kind) {
    case Condition::Kind::All:
        return {{u"all"_qs, list(c.children)}};
    case Condition::Kind::Any:
        return {{u"any"_qs, list(c.children)}};
    case Condition::Kind::Not:
        return {{u"not"_qs, c.children.isEmpty() ? QJsonObject() : conditionToJson(c.children.constFirst())}};
    case Condition::Kind::Items:
        return {{u"items"_qs, QString::fromLatin1(quantifierKey(c.quantifier))},
                {u"where"_qs, c.children.isEmpty() ? QJsonObject() : conditionToJson(c.children.constFirst())}};
    case Condition::Kind::Test: {
        QJsonObject o{{u"field"_qs, c.field}, {u"op"_qs, c.op}};
        if (c.values.size() == 1)
            o.insert(u"value"_qs, c.values.at(0));
        else if (!c.values.isEmpty())
            o.insert(u"values"_qs, c.values);
        return o;
    }
    }
    return {};
}

QJsonObject actionToJson(const Action &a)
{
    QJsonObject o{{u"type"_qs, a.type}};
    if (!a.params.isEmpty())
        o.insert(u"params"_qs, a.params);
    if (a.delayMinutes > 0)
        o.insert(u"delayMinutes"_qs, a.delayMinutes);
    if (a.stopOnFailure)
        o.insert(u"stopOnFailure"_qs, true);
    if (!a.onFailure.isEmpty()) {
        QJsonArray list;
        for (const Action &f : a.onFailure)
            list.append(actionToJson(f));
        o.insert(u"onFailure"_qs, list);
    }
    return o;
}

// Reads the JSON shape; the catalog checks follow in validate().
class Reader
{
public:
    QStringList problems;

    void problem(const QString &path, const QString &message) { problems.append(path + u": "_qs + message); }

    void unknownKeys(const QJsonObject &o, const QString &path, const QStringList &known)
    {
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!known.contains(it.key()))
                problem(path,
                        QCoreApplication::translate("sd::automation::Rule", "unknown key %1").arg(quoted(it.key())));
    }

    Condition condition(const QJsonValue &value, const QString &path)
    {
        Condition c;
        if (!value.isObject()) {
            problem(path, QCoreApplication::translate("sd::automation::Rule", "a condition must be an object"));
            return c;
        }
        const QJsonObject o = value.toObject();
        auto group = [&](Condition::Kind kind, const QString &key) {
            c.kind = kind;
            unknownKeys(o, path, {key});
            const QJsonValue v = o.value(key);
            if (!v.isArray()) {
                problem(path + u'.' + key,
                        QCoreApplication::translate("sd::automation::Rule", "must be a list of conditions"));
                return;
            }
            const QJsonArray list = v.toArray();
            for (qsizetype i = 0; i < list.size(); ++i)
                c.children.append(condition(list.at(i), u"%1.%2[%3]"_qs.arg(path, key).arg(i)));
        };
        if (o.contains(u"all"))
            group(Condition::Kind::All, u"all"_qs);
        else if (o.contains(u"any"))
            group(Condition::Kind::Any, u"any"_qs);
        else if (o.contains(u"not")) {
            c.kind = Condition::Kind::Not;
            unknownKeys(o, path, {u"not"_qs});
            c.children.append(condition(o.value(u"not"), path + u".not"_qs));
        } else if (o.contains(u"items")) {
            c.kind = Condition::Kind::Items;
            unknownKeys(o, path, {u"items"_qs, u"where"_qs});
            const QString q = o.value(u"items").toString();
            if (q == u"any")
                c.quantifier = Condition::Quantifier::Any;
            else if (q == u"all")
                c.quantifier = Condition::Quantifier::All;
            else if (q == u"none")
                c.quantifier = Condition::Quantifier::None;
            else
                problem(path + u".items"_qs,
                        QCoreApplication::translate("sd::automation::Rule", "must be \"any\", \"all\" or \"none\""));
            if (!o.contains(u"where"))
                problem(path, QCoreApplication::translate("sd::automation::Rule", "a line item group needs \"where\""));
            else
                c.children.append(condition(o.value(u"where"), path + u".where"_qs));
        } else if (o.contains(u"field")) {
            c.kind = Condition::Kind::Test;
            unknownKeys(o, path, {u"field"_qs, u"op"_qs, u"value"_qs, u"values"_qs});
            c.field = o.value(u"field").toString();
            c.op = o.value(u"op").toString();
            if (o.contains(u"value"))
                c.values.append(o.value(u"value"));
            if (o.contains(u"values")) {
                if (!o.value(u"values").isArray())
                    problem(path + u".values"_qs,
                            QCoreApplication::translate("sd::automation::Rule", "must be a list"));
                c.values = o.value(u"values").toArray();
            }
        } else {
            problem(path, QCoreApplication::translate(
                              "sd::automation::Rule",
                              "a condition needs one of \"all\", \"any\", \"not\", \"items\" or \"field\""));
        }
        return c;
    }

    Action action(const QJsonValue &value, const QString &path)
    {
        Action a;
        if (!value.isObject()) {
            problem(path, QCoreApplication::translate("sd::automation::Rule", "an action must be an object"));
            return a;
        }
        const QJsonObject o = value.toObject();
        unknownKeys(o, path, {u"type"_qs, u"params"_qs, u"delayMinutes"_qs, u"stopOnFailure"_qs, u"onFailure"_qs});
        a.type = o.value(u"type").toString();
        a.params = o.value(u"params").toObject();
        if (o.contains(u"delayMinutes")) {
            const QJsonValue d = o.value(u"delayMinutes");
            if (!d.isDouble() || d.toDouble() < 0 || d.toDouble() != double(d.toInt()))
                problem(path + u".delayMinutes"_qs,
                        QCoreApplication::translate("sd::automation::Rule",
                                                    "must be a whole number of minutes, 0 or more"));
            a.delayMinutes = d.toInt();
        }
        a.stopOnFailure = o.value(u"stopOnFailure").toBool();
        const QJsonArray failure = o.value(u"onFailure").toArray();
        for (qsizetype i = 0; i < failure.size(); ++i)
            a.onFailure.append(action(failure.at(i), u"%1.onFailure[%2]"_qs.arg(path).arg(i)));
        return a;
    }
};

bool isText(const QJsonValue &v)
{
    return v.isString();
}

void checkValue(const FieldDef &field, const QJsonValue &v, const QString &path, QStringList &problems)
{
    auto bad = [&](const QString &why) { problems.append(path + u": "_qs + why); };
    switch (field.type) {
    case FieldType::Text:
    case FieldType::Tags:
        if (!isText(v))
            bad(QCoreApplication::translate("sd::automation::Rule", "%1 needs text").arg(Catalog::label(field.label)));
        break;
    case FieldType::Enum:
        if (!isText(v) || !field.choices.contains(v.toString()))
            bad(QCoreApplication::translate("sd::automation::Rule", "%1 must be one of: %2")
                    .arg(Catalog::label(field.label), field.choices.join(u", ")));
        break;
    case FieldType::Number:
        // A whole number that fits 64 bits (converting a larger double to qint64 would be undefined).
        if (!v.isDouble() || !(std::abs(v.toDouble()) < 9.2e18) || v.toDouble() != double(qint64(v.toDouble())))
            bad(QCoreApplication::translate("sd::automation::Rule", "%1 needs a whole number")
                    .arg(Catalog::label(field.label)));
        break;
    case FieldType::Money:
        if (v.isDouble())
            break;
        if (!isText(v) || !domain::Money::parse(v.toString(), u"PLN"_qs))
            bad(QCoreApplication::translate("sd::automation::Rule", "%1 needs an amount such as 100 or \"99.99\"")
                    .arg(Catalog::label(field.label)));
        break;
    case FieldType::Bool:
        bad(QCoreApplication::translate("sd::automation::Rule", "%1 takes no value").arg(Catalog::label(field.label)));
        break;
    }
}

void checkCondition(const Condition &c, const QString &path, bool insideItems, QStringList &problems)
{
    const Catalog &catalog = Catalog::instance();
    switch (c.kind) {
    case Condition::Kind::All:
    case Condition::Kind::Any: {
        const QString key = c.kind == Condition::Kind::All ? u"all"_qs : u"any"_qs;
        for (qsizetype i = 0; i < c.children.size(); ++i)
            checkCondition(c.children.at(i), u"%1.%2[%3]"_qs.arg(path, key).arg(i), insideItems, problems);
        return;
    }
    case Condition::Kind::Not:
        if (c.children.size() == 1)
            checkCondition(c.children.constFirst(), path + u".not"_qs, insideItems, problems);
        return;
    case Condition::Kind::Items:
        if (insideItems)
            problems.append(path + u": "_qs +
                            QCoreApplication::translate("sd::automation::Rule", "line item groups cannot be nested"));
        if (c.children.size() == 1)
            checkCondition(c.children.constFirst(), path + u".where"_qs, true, problems);
        return;
    case Condition::Kind::Test:
        break;
    }
    const FieldDef *field = catalog.field(c.field);
    if (!field) {
        problems.append(path + u": "_qs +
                        QCoreApplication::translate("sd::automation::Rule", "unknown field %1").arg(quoted(c.field)));
        return;
    }
    if (field->lineItem && !insideItems) {
        problems.append(path + u": "_qs +
                        QCoreApplication::translate("sd::automation::Rule",
                                                    "%1 is a line item field; use it inside an \"items\" group")
                            .arg(Catalog::label(field->label)));
        return;
    }
    if (!field->lineItem && insideItems) {
        problems.append(
            path + u": "_qs +
            QCoreApplication::translate("sd::automation::Rule",
                                        "%1 is an order field; it cannot be tested inside an \"items\" group")
                .arg(Catalog::label(field->label)));
        return;
    }
    const OperatorDef *op = catalog.op(c.op);
    if (!op) {
        problems.append(path + u": "_qs +
                        QCoreApplication::translate("sd::automation::Rule", "unknown operator %1").arg(quoted(c.op)));
        return;
    }
    if (!op->types.contains(field->type)) {
        problems.append(path + u": "_qs +
                        QCoreApplication::translate("sd::automation::Rule", "the operator %1 does not apply to %2 (%3)")
                            .arg(quoted(c.op), Catalog::label(field->label), Catalog::typeName(field->type)));
        return;
    }
    const qsizetype n = c.values.size();
    switch (op->arity) {
    case Arity::None:
        if (n != 0)
            problems.append(path + u": "_qs +
                            QCoreApplication::translate("sd::automation::Rule", "the operator %1 takes no value")
                                .arg(quoted(c.op)));
        return;
    case Arity::One:
        if (n != 1) {
            problems.append(path + u": "_qs +
                            QCoreApplication::translate("sd::automation::Rule", "the operator %1 needs one value")
                                .arg(quoted(c.op)));
            return;
        }
        break;
    case Arity::List:
        if (n < 1) {
            problems.append(
                path + u": "_qs +
                QCoreApplication::translate("sd::automation::Rule", "the operator %1 needs a list of values")
                    .arg(quoted(c.op)));
            return;
        }
        break;
    case Arity::Range:
        if (n != 2) {
            problems.append(
                path + u": "_qs +
                QCoreApplication::translate("sd::automation::Rule", "the operator %1 needs two values (from, to)")
                    .arg(quoted(c.op)));
            return;
        }
        break;
    }
    if (op->op == Op::Matches) {
        const QRegularExpression re(c.values.at(0).toString());
        if (!re.isValid())
            problems.append(path + u": "_qs +
                            QCoreApplication::translate("sd::automation::Rule", "the pattern is not valid: %1")
                                .arg(re.errorString()));
        return;
    }
    for (qsizetype i = 0; i < n; ++i)
        checkValue(*field, c.values.at(i), n == 1 ? path + u".value"_qs : u"%1.values[%2]"_qs.arg(path).arg(i),
                   problems);
}

void checkParams(const QJsonObject &params, const QList<ParamDef> &defs, const QString &path, QStringList &problems)
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        bool known = false;
        for (const ParamDef &d : defs)
            known = known || QLatin1StringView(d.key) == it.key();
        if (!known)
            problems.append(
                path + u": "_qs +
                QCoreApplication::translate("sd::automation::Rule", "unknown parameter %1").arg(quoted(it.key())));
    }
    for (const ParamDef &d : defs) {
        const QString key = QString::fromLatin1(d.key);
        const QString where = path + u'.' + key;
        const QJsonValue v = params.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (d.required && (d.defaultValue.isUndefined() || d.defaultValue.isNull()))
                problems.append(
                    where + u": "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "%1 is required").arg(Catalog::label(d.label)));
            continue;
        }
        const QString label = Catalog::label(d.label);
        switch (d.type) {
        case ParamType::Number:
        case ParamType::Minutes:
        case ParamType::RuleId: {
            const double x = v.toDouble(-1);
            if (!v.isDouble() || x != double(qint64(x)) || x < d.min || (d.max > 0 && x > d.max))
                problems.append(where + u": "_qs +
                                (d.max > 0 ? QCoreApplication::translate("sd::automation::Rule",
                                                                         "%1 must be a whole number from %2 to %3")
                                                 .arg(label)
                                                 .arg(d.min)
                                                 .arg(d.max)
                                           : QCoreApplication::translate("sd::automation::Rule",
                                                                         "%1 must be a whole number, at least %2")
                                                 .arg(label)
                                                 .arg(d.min)));
            break;
        }
        case ParamType::Bool:
            if (!v.isBool())
                problems.append(
                    where + u": "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "%1 must be true or false").arg(label));
            break;
        case ParamType::Choice:
            if (!d.choices.contains(v.toString()))
                problems.append(where + u": "_qs +
                                QCoreApplication::translate("sd::automation::Rule", "%1 must be one of: %2")
                                    .arg(label, d.choices.join(u", ")));
            break;
        case ParamType::Url: {
            const QString text = v.toString();
            if (!text.startsWith(u"http://") && !text.startsWith(u"https://"))
                problems.append(
                    where + u": "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "%1 must start with http:// or https://")
                        .arg(label));
            break;
        }
        case ParamType::Text:
        case ParamType::Status:
        case ParamType::Tag:
            if (!v.isString() || v.toString().trimmed().isEmpty())
                problems.append(
                    where + u": "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "%1 must be a non-empty text").arg(label));
            break;
        }
    }
}

void checkAction(const Action &a, const QString &path, QStringList &problems)
{
    const ActionDef *def = Catalog::instance().action(a.type);
    if (!def) {
        problems.append(path + u": "_qs +
                        QCoreApplication::translate("sd::automation::Rule", "unknown action %1").arg(quoted(a.type)));
        return;
    }
    checkParams(a.params, def->params, path + u".params"_qs, problems);
    for (qsizetype i = 0; i < a.onFailure.size(); ++i)
        checkAction(a.onFailure.at(i), u"%1.onFailure[%2]"_qs.arg(path).arg(i), problems);
}

} // namespace

bool Action::operator==(const Action &other) const
{
    return type == other.type && params == other.params && delayMinutes == other.delayMinutes &&
           stopOnFailure == other.stopOnFailure && onFailure == other.onFailure;
}

QJsonObject Rule::toJson() const
{
    QJsonObject o{{u"format"_qs, QString::fromLatin1(kFormat)}, {u"name"_qs, name}, {u"enabled"_qs, enabled}};
    if (id)
        o.insert(u"id"_qs, id);
    if (version)
        o.insert(u"version"_qs, version);
    if (!group.isEmpty())
        o.insert(u"group"_qs, group);
    if (!description.isEmpty())
        o.insert(u"description"_qs, description);
    if (!owner.isEmpty())
        o.insert(u"owner"_qs, owner);
    if (!accounts.isEmpty() || !couriers.isEmpty()) {
        QJsonObject scope;
        if (!accounts.isEmpty())
            scope.insert(u"accounts"_qs, QJsonArray::fromStringList(accounts));
        if (!couriers.isEmpty())
            scope.insert(u"couriers"_qs, QJsonArray::fromStringList(couriers));
        o.insert(u"scope"_qs, scope);
    }
    QJsonObject t{{u"type"_qs, trigger}};
    if (!triggerParams.isEmpty())
        t.insert(u"params"_qs, triggerParams);
    o.insert(u"trigger"_qs, t);
    o.insert(u"conditions"_qs, conditionToJson(conditions));
    QJsonArray list;
    for (const Action &a : actions)
        list.append(actionToJson(a));
    o.insert(u"actions"_qs, list);
    if (limitPerOrder > 0)
        o.insert(u"limitPerOrder"_qs, limitPerOrder);
    return o;
}

Result<Rule> Rule::fromJson(const QJsonObject &json)
{
    Reader reader;
    Rule rule;
    reader.unknownKeys(json, u"rule"_qs,
                       {u"format"_qs, u"id"_qs, u"version"_qs, u"name"_qs, u"group"_qs, u"description"_qs, u"owner"_qs,
                        u"enabled"_qs, u"scope"_qs, u"trigger"_qs, u"conditions"_qs, u"actions"_qs,
                        u"limitPerOrder"_qs});
    if (json.value(u"format").toString() != QLatin1StringView(kFormat))
        reader.problem(u"format"_qs, QCoreApplication::translate("sd::automation::Rule", "must be %1")
                                         .arg(quoted(QString::fromLatin1(kFormat))));
    rule.id = json.value(u"id").toInteger();
    rule.version = json.value(u"version").toInt();
    rule.name = json.value(u"name").toString();
    rule.group = json.value(u"group").toString();
    rule.description = json.value(u"description").toString();
    rule.owner = json.value(u"owner").toString();
    rule.enabled = json.value(u"enabled").toBool(true);
    const QJsonObject scope = json.value(u"scope").toObject();
    reader.unknownKeys(scope, u"scope"_qs, {u"accounts"_qs, u"couriers"_qs});
    for (const QJsonValue &v : scope.value(u"accounts").toArray())
        rule.accounts.append(v.toString());
    for (const QJsonValue &v : scope.value(u"couriers").toArray())
        rule.couriers.append(v.toString());
    if (!json.value(u"trigger").isObject()) {
        reader.problem(u"trigger"_qs, QCoreApplication::translate("sd::automation::Rule", "a rule needs a trigger"));
    } else {
        const QJsonObject t = json.value(u"trigger").toObject();
        reader.unknownKeys(t, u"trigger"_qs, {u"type"_qs, u"params"_qs});
        rule.trigger = t.value(u"type").toString();
        rule.triggerParams = t.value(u"params").toObject();
    }
    if (json.contains(u"conditions"))
        rule.conditions = reader.condition(json.value(u"conditions"), u"conditions"_qs);
    if (!json.value(u"actions").isArray()) {
        reader.problem(u"actions"_qs,
                       QCoreApplication::translate("sd::automation::Rule", "a rule needs a list of actions"));
    } else {
        const QJsonArray list = json.value(u"actions").toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            rule.actions.append(reader.action(list.at(i), u"actions[%1]"_qs.arg(i)));
    }
    const QJsonValue limit = json.value(u"limitPerOrder");
    if (!limit.isUndefined() && (!limit.isDouble() || limit.toInt(-1) < 0))
        reader.problem(u"limitPerOrder"_qs,
                       QCoreApplication::translate("sd::automation::Rule", "must be a whole number, 0 or more"));
    rule.limitPerOrder = limit.toInt();

    QStringList problems = reader.problems + rule.problems();
    problems.removeDuplicates();
    if (!problems.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Rule", "The rule \"%1\" is not valid: %2")
                             .arg(rule.name, problems.join(u"; ")));
    return rule;
}

Result<Rule> Rule::fromText(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::automation::Rule", "The rule is not valid JSON (at character %1: %2).")
                .arg(error.offset)
                .arg(error.errorString()));
    if (!doc.isObject())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Rule", "A rule must be a JSON object."));
    return fromJson(doc.object());
}

QStringList Rule::problems() const
{
    QStringList list;
    const Catalog &catalog = Catalog::instance();
    if (name.trimmed().isEmpty())
        list.append(u"name: "_qs + QCoreApplication::translate("sd::automation::Rule", "a rule needs a name"));
    const TriggerDef *t = catalog.trigger(trigger);
    if (!t)
        list.append(u"trigger.type: "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "unknown trigger %1").arg(quoted(trigger)));
    else
        checkParams(triggerParams, t->params, u"trigger.params"_qs, list);
    checkCondition(conditions, u"conditions"_qs, false, list);
    if (actions.isEmpty())
        list.append(u"actions: "_qs +
                    QCoreApplication::translate("sd::automation::Rule", "a rule needs at least one action"));
    for (qsizetype i = 0; i < actions.size(); ++i)
        checkAction(actions.at(i), u"actions[%1]"_qs.arg(i), list);
    return list;
}

QJsonValue Rule::param(const QJsonObject &params, const QList<ParamDef> &defs, const char *key)
{
    const QJsonValue v = params.value(QLatin1StringView(key));
    if (!v.isUndefined() && !v.isNull())
        return v;
    for (const ParamDef &d : defs)
        if (qstrcmp(d.key, key) == 0)
            return d.defaultValue;
    return {};
}

} // namespace sd::automation
