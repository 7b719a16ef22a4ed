#pragma once

#include "money/moneysettings.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace sd::ui {

// Money settings (F1, F3, E4): the commission table, packaging, payment fees and courier costs the profit report
// uses; the shipping formula with a live preview; the loss guard and the orders it holds (release with a reason).
// Bad input is named in the message bar and nothing typed is lost.
class MoneySettingsDialog : public QDialog
{
    Q_OBJECT

public:
    MoneySettingsDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    // Saves everything; false (with the reason shown) when something is wrong.
    bool save();
    // Releases the hold selected in the list with the reason typed beside it.
    bool releaseSelected();
    QString message() const;
    QString previewText() const;
    QTabWidget *tabs() const { return m_tabs; }

    // The fields, for tests and keyboard users alike.
    QLineEdit *defaultCommission() const { return m_defaultCommission; }
    QTableWidget *commissionTable() const { return m_commissions; }
    QLineEdit *shippingField(const QString &key) const { return m_shipping.value(key); }
    QLineEdit *previewWeight() const { return m_previewWeight; }
    QComboBox *previewPayment() const { return m_previewPayment; }
    QLineEdit *previewValue() const { return m_previewValue; }
    QTableWidget *holdsTable() const { return m_holds; }
    QLineEdit *releaseReason() const { return m_releaseReason; }

private:
    void load();
    void loadHolds();
    void updatePreview();
    // The settings as typed, or the first problem (translated, naming the field).
    Result<money::MoneySettings> collect() const;
    void report(const QString &message, bool error);

    std::shared_ptr<storage::Database> m_db;
    money::MoneySettings m_loaded;
    QTabWidget *m_tabs;
    QLineEdit *m_defaultCommission, *m_packaging, *m_defaultCourier;
    QTableWidget *m_commissions, *m_couriers, *m_paymentFees, *m_zones;
    QHash<QString, QLineEdit *> m_shipping; // base, perKg, perExtraItem, cod, freeAbove, pickup
    QLineEdit *m_previewWeight, *m_previewCountry, *m_previewValue, *m_previewMethod;
    QSpinBox *m_previewQuantity;
    QComboBox *m_previewPayment;
    QLabel *m_preview;
    QCheckBox *m_lossGuard;
    QLineEdit *m_minProfit, *m_adminEmail, *m_releaseReason;
    QTableWidget *m_holds;
    QLabel *m_message;
};

} // namespace sd::ui
