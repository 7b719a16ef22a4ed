#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace sd::ui {

// A duration as an amount and a unit (minutes / hours / days), stored in the unit the catalog counts in: minutes
// for the time triggers and an action's delay, days or hours for the "since ..." condition fields. Only units that
// are whole multiples of the stored one are offered, so every value it shows is one the rule can hold.
//
// Bad input (a negative amount, more than the maximum, less than the minimum) is kept on screen with a translated
// message beside it and is not stored; problem() names it, so the editor can block saving until it is fixed.
class DurationPicker : public QWidget
{
    Q_OBJECT

public:
    // unitMinutes: 1, 60 or 1440; minimum and maximum are in that unit.
    DurationPicker(int unitMinutes, int minimum, int maximum, QWidget *parent = nullptr);

    void setValue(int stored);
    int value() const { return m_value; } // the last valid value, in the stored unit
    QString problem() const { return m_problem; }
    // Where the value lives in the rule ("actions[0].delayMinutes"): the editor prefixes problems with it.
    void setPlace(const QString &place) { m_place = place; }
    QString place() const { return m_place; }

    QSpinBox *amount() const { return m_amount; }
    QComboBox *unit() const { return m_unit; }

Q_SIGNALS:
    void valueChanged(int stored); // only valid values
    void problemChanged(const QString &problem);

private:
    void check();

    int m_unitMinutes;
    int m_minimum;
    int m_maximum;
    int m_value = 0;
    QString m_problem;
    QString m_place;
    QSpinBox *m_amount = nullptr;
    QComboBox *m_unit = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
