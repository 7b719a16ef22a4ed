#pragma once

#include "automation/catalog.h"
#include "util/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace sd::automation {

// One node of a condition tree: a group (all / any), a negation, a quantifier over the line items (any / all /
// none of them match `children[0]`), or a test of one field.
struct Condition
{
    enum class Kind { All, Any, Not, Items, Test };
    enum class Quantifier { Any, All, None };

    Kind kind = Kind::All;
    Quantifier quantifier = Quantifier::Any;
    QList<Condition> children;
    QString field;
    QString op;
    QJsonArray values; // one value, a list, or two for a range

    bool operator==(const Condition &) const = default;
};

struct Action
{
    QString type;
    QJsonObject params;
    int delayMinutes = 0;
    bool stopOnFailure = false;
    QList<Action> onFailure;

    bool operator==(const Action &other) const;
};

// A rule as stored: versioned JSON ("format": "sellerdesk.rule/1"). Every edit keeps the previous version.
struct Rule
{
    static constexpr char kFormat[] = "sellerdesk.rule/1";

    qint64 id = 0;
    int version = 0;
    QString name;
    QString group;
    QString description;
    QString owner;
    bool enabled = true;
    QStringList accounts; // scope: empty means every account
    QStringList couriers; // scope: delivery methods; empty means every one
    QString trigger;
    QJsonObject triggerParams;
    Condition conditions; // an empty All group matches every order
    QList<Action> actions;
    int limitPerOrder = 0; // how often it may act on one order; 0: no limit

    QJsonObject toJson() const;
    bool operator==(const Rule &) const = default;

    // Reads and validates against the catalog. Every problem is named with its JSON path, translated.
    static Result<Rule> fromJson(const QJsonObject &json);
    static Result<Rule> fromText(const QByteArray &text);
    // The problems of a rule (empty: valid), e.g. "conditions.all[1]: the operator \"gt\" does not apply to text".
    QStringList problems() const;
    // A parameter of the trigger or of an action, or its catalog default.
    static QJsonValue param(const QJsonObject &params, const QList<ParamDef> &defs, const char *key);
};

} // namespace sd::automation
