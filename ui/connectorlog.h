#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace sd::ui {

class ExchangeLogModel;

// The connector log: every request to a marketplace and its answer (secrets already removed), newest at the
// bottom, failures in red, with the full request and answer of the selected row.
class ConnectorLog : public QDialog
{
    Q_OBJECT

public:
    ConnectorLog(ExchangeLogModel *model, QWidget *parent = nullptr);

    void setErrorsOnly(bool on);
    QTableView *table() const { return m_table; }
    QString details() const;
    int visibleRows() const;

private:
    void showCurrent();
    void updateSummary();

    ExchangeLogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QCheckBox *m_errorsOnly;
    QLabel *m_summary;
};

} // namespace sd::ui
