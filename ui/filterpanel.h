#pragma once

#include "storage/orderquery.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QPushButton;

namespace sd::ui {

// Filters on the order fields (A2): payment status and method, delivery method, channel, invoice wanted and
// the purchase date. The status comes from the tabs and the text from the search box.
class FilterPanel : public QWidget
{
    Q_OBJECT

public:
    explicit FilterPanel(QWidget *parent = nullptr);

    // Fills the choices that depend on the orders (delivery methods, channels).
    void setChoices(const QStringList &deliveryMethods, const QStringList &channels);
    // Writes this panel's part into filter.
    void applyTo(storage::OrderQuery::Filter &filter) const;
    // Shows the values of filter (a saved view) without emitting changed().
    void showFilter(const storage::OrderQuery::Filter &filter);
    void clear();
    bool isActive() const;

    QComboBox *paymentStatus() const { return m_paymentStatus; }
    QComboBox *paymentMethod() const { return m_paymentMethod; }

Q_SIGNALS:
    void changed();
    void saveViewRequested();

private:
    static void select(QComboBox *box, const QVariant &value);

    QComboBox *m_paymentStatus = nullptr;
    QComboBox *m_paymentMethod = nullptr;
    QComboBox *m_delivery = nullptr;
    QComboBox *m_channel = nullptr;
    QComboBox *m_invoice = nullptr;
    QCheckBox *m_useFrom = nullptr;
    QDateEdit *m_from = nullptr;
    QCheckBox *m_useTo = nullptr;
    QDateEdit *m_to = nullptr;
    bool m_quiet = false;
};

} // namespace sd::ui
