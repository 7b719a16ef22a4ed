#pragma once

#include "domain/money.h"
#include "money/salesreport.h"

#include <QDialog>

#include <memory>

class QChartView;
class QComboBox;
class QDateEdit;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace sd::ui {

// Sales and profit reports with charts (Qt Charts): per day / week / month, per channel, per product, and orders per
// status over time; every table can be exported as CSV. The totals are money::SalesReport's, which add up exactly
// to the orders' own profits.
class ReportsPage : public QDialog
{
    Q_OBJECT

public:
    ReportsPage(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void setRange(const QDate &from, const QDate &to);
    // Builds the report for the chosen range and period; false (with the reason shown) on failure.
    bool refresh();
    bool exportCsv(const QString &path);
    const money::SalesReport &report() const { return m_report; }
    QTabWidget *tabs() const { return m_tabs; }
    QTableWidget *table(int tab) const;
    QChartView *chart(int tab) const;
    QString message() const;

private:
    void showRows(int tab, const QList<money::ReportRow> &rows, bool units);
    void report(const QString &message, bool error);

    std::shared_ptr<storage::Database> m_db;
    money::SalesReport m_report;
    QDateEdit *m_from, *m_to;
    QComboBox *m_period;
    QTabWidget *m_tabs;
    QList<QChartView *> m_charts;
    QList<QTableWidget *> m_tables;
    QLabel *m_total;
    QLabel *m_message;
};

} // namespace sd::ui
