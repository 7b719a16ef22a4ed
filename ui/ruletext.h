#pragma once

#include "automation/rule.h"

#include <QJsonObject>
#include <QStringList>

class QTreeWidget;

namespace sd::ui {

// How a rule reads to a person: the editor's tree labels, the rules page, the version diff and the traces all use
// these, so a rule is described the same way everywhere.
namespace ruletext {

QString choice(const QString &key); // a catalog choice ("CASH_ON_DELIVERY", "order-date") as a person reads it
QString value(const QJsonValue &value);
QString trigger(const automation::Rule &rule);
QString condition(const automation::Condition &condition);
QString action(const automation::Action &action);
QString params(const QJsonObject &params, const QList<automation::ParamDef> &defs);
QString duration(int minutes);
// Every part of the rule, one line each (the trigger, each condition, each action and each of their parameters),
// nested parts indented: what the version diff compares. Accounts are shown by name when accountNames knows them.
QStringList describe(const automation::Rule &rule, const QHash<QString, QString> &accountNames = {});
// A line diff of two descriptions: removed lines start with "- ", added with "+ ", kept with "  ".
QStringList diff(const QStringList &before, const QStringList &after);
// Fills a tree with a trace's conditions: value, result, colour-coded (green holds, red does not).
void fillTrace(QTreeWidget *tree, const QJsonObject &trace);

} // namespace ruletext

} // namespace sd::ui
