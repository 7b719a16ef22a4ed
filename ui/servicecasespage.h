#pragma once

#include "service/servicecase.h"
#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QTableWidget;
class QTextBrowser;

namespace sd::storage {
class OrderStore;
}

namespace sd::ui {

// Service (warranty repair) cases: the list with a state filter and a search, the chosen case with its timeline,
// and a button per next state (the buyer is e-mailed by the core). Cases expected back today are amber, late ones
// red. "New case…" registers one against an order (its number) or a product and a buyer.
class ServiceCasesPage : public QDialog
{
    Q_OBJECT

public:
    ServiceCasesPage(std::shared_ptr<storage::Database> db, const QString &actor, QWidget *parent = nullptr);
    ~ServiceCasesPage() override;

    bool refresh();
    QTableWidget *table() const { return m_table; }
    QComboBox *stateFilter() const { return m_state; }
    QTextBrowser *caseView() const { return m_view; }
    QList<QWidget *> nextButtons() const;
    QString message() const;
    // Moves the selected case to `to` with the note typed; false (with the reason shown) on failure.
    bool advanceSelected(service::ServiceState to);
    bool selectCase(qint64 id);

private:
    void showCase();
    void addCase();
    void report(const QString &message, bool error);

    std::shared_ptr<storage::Database> m_db;
    std::unique_ptr<storage::OrderStore> m_orders;
    QString m_actor;
    QComboBox *m_state;
    QLineEdit *m_search;
    QTableWidget *m_table;
    QTextBrowser *m_view;
    QLineEdit *m_note;
    QHBoxLayout *m_buttons;
    QList<QWidget *> m_nextButtons;
    QLabel *m_message;
};

} // namespace sd::ui
