#pragma once

#include "returns/returnservice.h"

#include <QDialog>
#include <QUrl>

#include <memory>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QTableWidget;

namespace sd::security {
class SecretStore;
}

namespace sd::ui {

// G1, returns (RMA): the list of returns with a state filter, and the chosen return with its items, attachments,
// its timeline (the order history rows of its steps) and a button for each state it may move to. "Received" asks
// for the warehouse; "Refunded" may refund through Allegro and issue the correction invoice. Failures show in the
// message line and change nothing.
class ReturnsPage : public QDialog
{
    Q_OBJECT

public:
    ReturnsPage(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                QWidget *parent = nullptr);

    // Shows the returns of one order only (0: all).
    void setOrder(qint64 orderId);
    bool reload();
    bool select(qint64 returnId);
    // Opens the registration dialog for the order (the page's order when 0); true when a return was registered.
    bool registerReturn(qint64 orderId = 0);
    bool advanceTo(returns::ReturnState state);
    // Allegro's customer returns of every connected account (returns::CustomerReturns).
    bool downloadCustomerReturns();

    QTableWidget *list() const { return m_list; }
    QComboBox *stateFilter() const { return m_filter; }
    QTableWidget *items() const { return m_items; }
    QTableWidget *timeline() const { return m_timeline; }
    QComboBox *warehouse() const { return m_warehouse; }
    QCheckBox *refundBox() const { return m_refund; }
    QCheckBox *correctionBox() const { return m_correction; }
    QStringList actionLabels() const;
    QString message() const;
    qint64 currentReturn() const { return m_current; }

    // The order view's section: the order's returns and a "Register return…" link that handleLink() opens.
    static QString orderSectionHtml(const std::shared_ptr<storage::Database> &db, const domain::Order &order);
    static bool handleLink(const std::shared_ptr<storage::Database> &db, std::shared_ptr<security::SecretStore> secrets,
                           const QUrl &url, QWidget *parent);

private:
    void showReturn(qint64 returnId);
    void showMessage(const QString &text, bool error);
    void addAttachment();
    void saveAttachment();
    storage::ChangeContext context() const;

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    std::unique_ptr<storage::OrderStore> m_store;
    qint64 m_orderId = 0;
    qint64 m_current = 0;
    QComboBox *m_filter = nullptr;
    QTableWidget *m_list = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_details = nullptr;
    QTableWidget *m_items = nullptr;
    QListWidget *m_attachments = nullptr;
    QTableWidget *m_timeline = nullptr;
    QComboBox *m_warehouse = nullptr;
    QCheckBox *m_refund = nullptr;
    QCheckBox *m_correction = nullptr;
    QHBoxLayout *m_actions = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
