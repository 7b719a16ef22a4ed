#include "durationpicker.h"

#include "ruletext.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace sd::ui {

DurationPicker::DurationPicker(int unitMinutes, int minimum, int maximum, QWidget *parent)
    : QWidget(parent)
    , m_unitMinutes(qMax(1, unitMinutes))
    , m_minimum(minimum)
    , m_maximum(maximum)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_amount = new QSpinBox(this);
    // Wider than valid on purpose: a typed negative or too large amount stays visible and gets a message.
    m_amount->setRange(-999999, 9999999);
    m_amount->setAccessibleName(tr("Amount"));
    m_unit = new QComboBox(this);
    m_unit->setAccessibleName(tr("Unit"));
    const QList<QPair<int, QString>> units = {{1, tr("minutes")}, {60, tr("hours")}, {1440, tr("days")}};
    for (const auto &[factor, name] : units)
        if (factor % m_unitMinutes == 0)
            m_unit->addItem(name, factor);
    m_message = new QLabel(this);
    m_message->setStyleSheet(u"QLabel { color: #b00020; }"_qs);
    m_message->hide();
    layout->addWidget(m_amount);
    layout->addWidget(m_unit);
    layout->addWidget(m_message);
    layout->addStretch();
    setFocusProxy(m_amount);
    connect(m_amount, &QSpinBox::valueChanged, this, &DurationPicker::check);
    connect(m_unit, &QComboBox::currentIndexChanged, this, &DurationPicker::check);
    setValue(minimum);
}

void DurationPicker::setValue(int stored)
{
    const qint64 minutes = qint64(stored) * m_unitMinutes;
    // The largest unit that shows the value exactly: 2880 minutes read as 2 days.
    int index = 0;
    for (int i = m_unit->count() - 1; i >= 0; --i) {
        const int factor = m_unit->itemData(i).toInt();
        if (minutes != 0 && minutes % factor == 0) {
            index = i;
            break;
        }
    }
    const QSignalBlocker blockAmount(m_amount);
    const QSignalBlocker blockUnit(m_unit);
    m_unit->setCurrentIndex(index);
    m_amount->setValue(int(minutes / m_unit->itemData(index).toInt()));
    m_value = stored;
    m_problem.clear();
    m_message->hide();
}

void DurationPicker::check()
{
    const qint64 minutes = qint64(m_amount->value()) * m_unit->currentData().toInt();
    QString problem;
    if (m_amount->value() < 0)
        problem = tr("A duration cannot be negative.");
    else if (minutes > qint64(m_maximum) * m_unitMinutes)
        problem = tr("At most %1.").arg(ruletext::duration(m_maximum * m_unitMinutes));
    else if (minutes < qint64(m_minimum) * m_unitMinutes)
        problem = tr("At least %1.").arg(ruletext::duration(m_minimum * m_unitMinutes));
    const bool changed = problem != m_problem;
    m_problem = problem;
    m_message->setText(problem);
    m_message->setVisible(!problem.isEmpty());
    if (problem.isEmpty()) {
        m_value = int(minutes / m_unitMinutes);
        Q_EMIT valueChanged(m_value);
    }
    if (changed)
        Q_EMIT problemChanged(problem);
}

} // namespace sd::ui
