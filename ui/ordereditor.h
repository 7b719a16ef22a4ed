#pragma once

#include "domain/ordercheck.h"
#include "storage/orderstore.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QFormLayout;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace sd::ui {

// Creates a manual order or edits one (A10). Every field is checked when saving; what is wrong is marked
// beside the field with the reason, and the form keeps everything that was typed, also when the save fails.
class OrderEditor : public QDialog
{
    Q_OBJECT

public:
    explicit OrderEditor(storage::OrderStore &store, qint64 orderId = 0, QWidget *parent = nullptr);

    // Checks and saves; false when something is wrong (shown in the form) or the database refused.
    bool save();
    qint64 savedOrderId() const { return m_savedId; }

    // The field widgets by path ("buyer.email", "delivery.address.postCode", ...), and items row by row.
    QLineEdit *field(const QString &path) const { return m_fields.value(path); }
    QTableWidget *items() const { return m_items; }
    QCheckBox *invoiceWanted() const { return m_invoiceWanted; }
    QComboBox *paymentMethod() const { return m_paymentMethod; }
    // The reason shown beside a field, empty when it is fine.
    QString problem(const QString &path) const;
    QString generalMessage() const;
    void addItemRow(const domain::LineItem &item = {});

private:
    QLineEdit *addField(QFormLayout *form, const QString &path, const QString &label);
    void load(const domain::Order &order);
    domain::Order collect(QList<domain::FieldProblem> &problems) const;
    void showProblems(const QList<domain::FieldProblem> &problems);

    storage::OrderStore &m_store;
    qint64 m_orderId = 0;
    qint64 m_savedId = 0;
    domain::Order m_original;
    QHash<QString, QLineEdit *> m_fields;
    QHash<QString, QLabel *> m_problems;
    QComboBox *m_paymentMethod = nullptr;
    QCheckBox *m_paid = nullptr;
    QCheckBox *m_invoiceWanted = nullptr;
    QTableWidget *m_items = nullptr;
    QLabel *m_itemProblems = nullptr;
    QPlainTextEdit *m_notes = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
