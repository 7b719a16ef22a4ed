#pragma once

#include "automation/catalog.h"
#include "automation/rule.h"
#include "storage/database.h"

#include <QObject>

#include <functional>

class QWidget;

namespace sd::ui {

class DurationPicker;

// Makes the editor's input widgets from the catalog: one per trigger or action parameter (by its type), one for a
// condition's value (by the field's type, picker and the operator's arity), and duration pickers for every
// duration. It holds what the pickers offer: the profile's statuses and tags, the other rules, and a sample
// order's value of each placeholder for the inserter.
class RuleFormFactory : public QObject
{
    Q_OBJECT

public:
    // The longest sensible delay of an action.
    static constexpr int kMaxDelayMinutes = 30 * 1440;

    RuleFormFactory(std::shared_ptr<storage::Database> db, qint64 ruleId, QObject *parent = nullptr);

    // `place` is where the value lives in the rule ("trigger.params.minutes"), for the duration pickers' problems.
    QWidget *paramEditor(const automation::ParamDef &def, const QJsonValue &value,
                         std::function<void(const QJsonValue &)> set, QWidget *parent, const QString &place) const;
    // Null for an operator that takes no value.
    QWidget *valueEditor(const automation::Condition &test, std::function<void(const QJsonArray &)> set,
                         QWidget *parent, const QString &place) const;
    DurationPicker *durationPicker(int unitMinutes, int minimum, int maximum, int value, std::function<void(int)> set,
                                   QWidget *parent, const QString &place) const;

    // The values a new test of this field and operator starts with.
    QJsonArray defaultValues(const automation::FieldDef &field, const automation::OperatorDef &op) const;
    // The unit (in minutes) a duration field counts in, 0 for a field that is no duration.
    static int durationUnit(const automation::FieldDef &field);

    // Empties a form holder (a widget with a layout). The widgets go later, not now: one of them may be the widget
    // whose signal got us here; until then they count as retired (their input problems no longer matter).
    static void clear(QWidget *holder);
    static bool isRetired(const QWidget *widget);

    const QStringList &statuses() const { return m_statuses; }
    QList<QPair<QString, QString>> placeholderSamples() const { return m_samples; }

Q_SIGNALS:
    // A duration picker's input became invalid or valid again: the editor validates anew.
    void inputProblemsChanged();

private:
    QStringList m_statuses;
    QStringList m_tags;
    QList<QPair<qint64, QString>> m_otherRules;
    QList<QPair<QString, QString>> m_samples;
};

} // namespace sd::ui
