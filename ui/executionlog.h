#pragma once

#include "automation/ruleinsights.h"

#include <QAbstractTableModel>
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace sd::ui {

// The execution log (job_runs): every run of a rule's action or timer, newest first.
class RunLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Rule, Order, Action, Outcome, Message, Duration, Job, ColumnCount };

    explicit RunLogModel(std::shared_ptr<storage::Database> db, QObject *parent = nullptr);

    Result<void> reload(const automation::RunFilter &filter);
    const automation::RunRecord &run(int row) const { return m_runs.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString outcomeLabel(const QString &outcome);

private:
    std::shared_ptr<storage::Database> m_db;
    QList<automation::RunRecord> m_runs;
    QHash<qint64, QString> m_ruleNames;
};

// The execution log view: filters by rule, order, result and period; a failed run can run again after a fix.
class ExecutionLogDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ExecutionLogDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void setRuleFilter(qint64 ruleId);
    void setOrderFilter(qint64 orderId);
    void setOutcomeFilter(const QString &outcome);
    void setPeriodDays(int days); // 0: all
    void reload();
    // Queues the failed job of the run in `row` again.
    bool rerun(int row);

    RunLogModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString message() const;

private:
    std::shared_ptr<storage::Database> m_db;
    RunLogModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_rule = nullptr;
    QLineEdit *m_order = nullptr;
    QComboBox *m_outcome = nullptr;
    QComboBox *m_period = nullptr;
    QPushButton *m_rerun = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
