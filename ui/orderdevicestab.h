#pragma once

#include "storage/orderstore.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;

namespace sd::ui {

// An order's fiscal receipt and shipping label, beside its details: the receipt's state (issue it; an "unknown"
// receipt is left to the operator, who checks the printer's journal and says whether it was printed), the label
// (create one with the chosen courier, print it, reprint it with a reason) and the tracking number. Everything goes
// through the same services as the CLI and the rules: FiscalReceipts (never twice), LabelService and the print queue
// (ledger keys), so a click twice does nothing twice.
class OrderDevicesTab : public QWidget
{
    Q_OBJECT

public:
    explicit OrderDevicesTab(storage::OrderStore &store, QWidget *parent = nullptr);

    void showOrder(qint64 orderId);
    void refresh();

    // The actions behind the buttons (the buttons ask first where a question is needed).
    bool issueReceipt();
    bool resolveReceipt(bool printed, std::optional<qint64> number);
    bool createLabel(const QString &courier);
    // Prints the newest label; a label printed before needs a reason (a reprint).
    bool printLabel(const QString &reprintReason = {});

    QString receiptText() const;
    QString labelText() const;
    QString message() const;
    QPushButton *resolveButton() const { return m_resolve; }
    bool needsReprintReason() const { return m_needsReason; } // the last print found the label printed before

private:
    void showMessage(const QString &text, bool error);
    QString owner() const;

    storage::OrderStore &m_store;
    qint64 m_orderId = 0;
    bool m_needsReason = false;
    QLabel *m_receipt = nullptr;
    QPushButton *m_issue = nullptr;
    QPushButton *m_resolve = nullptr;
    QLabel *m_label = nullptr;
    QComboBox *m_courier = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_print = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
