#pragma once

#include "automation/rule.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;
class QTreeWidget;

namespace sd::ui {

// The editor's test panel: a dry run of the rule being edited over chosen orders or a period. It shows which
// orders match and what each action would do, and per order the trace (every condition's value and result,
// green or red). It only reads: nothing is changed, taken or sent.
class RuleTestPanel : public QWidget
{
    Q_OBJECT

public:
    RuleTestPanel(std::shared_ptr<storage::Database> db, std::function<automation::Rule()> rule,
                  QWidget *parent = nullptr);

    void setOrderIds(const QList<qint64> &ids); // empty: use the period
    void setPeriodDays(int days);               // 0: every order
    void setOnlyMatches(bool only);
    // Runs the dry run; false (with the reason shown) when the rule is not valid or reading fails.
    bool run();

    int matches() const { return m_matches; }
    int tested() const { return m_tested; }
    QTableWidget *results() const { return m_results; }
    QTreeWidget *trace() const { return m_trace; }
    QLabel *summary() const { return m_summary; }
    void showTrace(int row);

private:
    void fillResults();

    std::shared_ptr<storage::Database> m_db;
    std::function<automation::Rule()> m_rule;
    QJsonArray m_report;
    int m_matches = 0;
    int m_tested = 0;
    QLineEdit *m_orders = nullptr;
    QComboBox *m_period = nullptr;
    QCheckBox *m_onlyMatches = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_results = nullptr;
    QTreeWidget *m_trace = nullptr;
    QLabel *m_reason = nullptr;
};

} // namespace sd::ui
