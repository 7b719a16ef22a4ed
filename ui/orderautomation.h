#pragma once

#include "storage/database.h"

#include <QWidget>

class QLabel;
class QTableWidget;
class QTreeWidget;

namespace sd::ui {

// The order view's Automation tab: every rule that looked at the order (fired or not, and why), timers set and
// actions run with what they changed, from the traces the engine keeps; the chosen entry's trace below.
class OrderAutomationTab : public QWidget
{
    Q_OBJECT

public:
    explicit OrderAutomationTab(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void showOrder(qint64 orderId);
    QTableWidget *list() const { return m_list; }
    QTreeWidget *trace() const { return m_trace; }

private:
    void showEntry(int row);

    std::shared_ptr<storage::Database> m_db;
    QList<QJsonObject> m_traces;
    QTableWidget *m_list = nullptr;
    QLabel *m_reason = nullptr;
    QTreeWidget *m_trace = nullptr;
};

} // namespace sd::ui
