#pragma once

#include "documents/documentservice.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace sd::security {
class SecretStore;
}

namespace sd::ui {

class ExchangeRatesPanel;
class KsefSettingsPanel;

// The seller's data, how documents are made, the numbering series (list and add), KSeF and the exchange rates. Bad
// input is named in the message bar and nothing typed is lost.
class DocumentSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    DocumentSettingsDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~DocumentSettingsDialog() override;

    // Saves the company and the settings; false (with the reason shown) when something is wrong.
    bool save();
    bool addSeries();
    QString message() const;
    // The KSeF token is read from and written to this store (the window's).
    void setSecrets(std::shared_ptr<security::SecretStore> secrets);
    void showKsef();
    void showRates();
    KsefSettingsPanel *ksefPanel() const { return m_ksef; }
    ExchangeRatesPanel *ratesPanel() const { return m_rates; }

private:
    void loadSeries();
    void report(const QString &message, bool error);

    std::shared_ptr<storage::Database> m_db;
    documents::SettingsStore m_settings;
    documents::SeriesStore m_series;
    QLineEdit *m_name, *m_nip, *m_street, *m_postcode, *m_city, *m_bank, *m_email, *m_phone, *m_logo;
    QCheckBox *m_private, *m_auto, *m_oss, *m_completion;
    QComboBox *m_shipping;
    QSpinBox *m_days, *m_warranty;
    QTableWidget *m_seriesTable;
    QLineEdit *m_seriesName, *m_seriesPattern;
    QComboBox *m_seriesType, *m_seriesReset;
    QCheckBox *m_seriesDefault;
    QLabel *m_message;
    QTabWidget *m_tabs;
    KsefSettingsPanel *m_ksef;
    ExchangeRatesPanel *m_rates;
};

} // namespace sd::ui
