#pragma once

#include "storage/orderquery.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QPushButton;

namespace sd::ui {

// Filters on the order fields (A2): payment status and method, delivery method and country, channel and account,
// the marketplace's state, tag, referrer, invoice wanted, the buyer's comment, the amount and the purchase date.
// The status comes from the tabs and the text from the search box.
class FilterPanel : public QWidget
{
    Q_OBJECT

public:
    explicit FilterPanel(QWidget *parent = nullptr);

    // Fills the choices that depend on the orders, by OrderQuery::distinctValues() column: "delivery_method",
    // "marketplace", "account", "delivery_country", "tags", "referrers".
    // Values per column; `labels` shows a value under another text (an account's name for its key).
    void setChoices(const QHash<QString, QStringList> &choices, const QHash<QString, QString> &labels = {});
    // Writes this panel's part into filter.
    void applyTo(storage::OrderQuery::Filter &filter) const;
    // Shows the values of filter (a saved view) without emitting changed().
    void showFilter(const storage::OrderQuery::Filter &filter);
    void clear();
    bool isActive() const;

    QComboBox *paymentStatus() const { return m_paymentStatus; }
    QComboBox *paymentMethod() const { return m_paymentMethod; }
    // The choice box of a distinctValues() column, or of "marketplace_status" / "buyer_comment".
    QComboBox *box(const QString &column) const { return m_boxes.value(column); }
    QDoubleSpinBox *totalFrom() const { return m_totalFrom; }
    QDoubleSpinBox *totalTo() const { return m_totalTo; }

Q_SIGNALS:
    void changed();
    void saveViewRequested();

private:
    static void select(QComboBox *box, const QVariant &value);

    QComboBox *m_paymentStatus = nullptr;
    QComboBox *m_paymentMethod = nullptr;
    QComboBox *m_delivery = nullptr;
    QComboBox *m_channel = nullptr;
    QComboBox *m_account = nullptr;
    QComboBox *m_marketplaceStatus = nullptr;
    QComboBox *m_country = nullptr;
    QComboBox *m_tag = nullptr;
    QComboBox *m_referrer = nullptr;
    QComboBox *m_comment = nullptr;
    QDoubleSpinBox *m_totalFrom = nullptr;
    QDoubleSpinBox *m_totalTo = nullptr;
    QHash<QString, QComboBox *> m_boxes;
    QComboBox *m_invoice = nullptr;
    QCheckBox *m_useFrom = nullptr;
    QDateEdit *m_from = nullptr;
    QCheckBox *m_useTo = nullptr;
    QDateEdit *m_to = nullptr;
    bool m_quiet = false;
};

} // namespace sd::ui
