#pragma once

#include "storage/orderstore.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTableWidget;
class QTextBrowser;

namespace sd::ui {

class OrderAutomationTab;
class OrderDevicesTab;

// One order: its details (buyer, delivery and pick-up point, payment, invoice data, items, totals, notes,
// tags, where it came from, documents, shipments) and its history (who, when, what, old -> new). Shown beside
// the list and, the same widget, in an OrderWindow of its own.
class OrderView : public QWidget
{
    Q_OBJECT

public:
    explicit OrderView(storage::OrderStore &store, QWidget *parent = nullptr);

    void showOrder(qint64 orderId);
    qint64 orderId() const { return m_orderId; }
    void refresh();

    QTabWidget *tabs() const { return m_tabs; }
    OrderAutomationTab *automationTab() const { return m_automation; }
    OrderDevicesTab *devicesTab() const { return m_devices; }

    // A history field path ("delivery.address.city", "items[2].quantity") as a person reads it; a path it does
    // not know stays as it is.
    static QString fieldLabel(const QString &path);
    // Shows the details tab scrolled to a section: "items" (the lines with their stock).
    void showSection(const QString &anchor);

private:
    QString detailsHtml(const domain::Order &order) const;

    storage::OrderStore &m_store;
    qint64 m_orderId = 0;
    QLabel *m_title = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_details = nullptr;
    QTableWidget *m_history = nullptr;
    OrderAutomationTab *m_automation = nullptr;
    OrderDevicesTab *m_devices = nullptr;
};

} // namespace sd::ui
