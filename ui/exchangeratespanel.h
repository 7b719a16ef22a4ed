#pragma once

#include "documents/exchangerates.h"

#include <QWidget>

#include <memory>

class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace sd::ui {

// The exchange-rate page of the document settings: the profile's rate table (documents::RateTable) that
// foreign-currency invoices take their NBP rate from (art. 31a: the last working day before the sale date). Rates
// are typed in or fetched from the NBP Web API at the address kept in the document settings, only when the user
// presses "Fetch"; issuing never goes to the network. Bad input is named and what was typed stays.
class ExchangeRatesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ExchangeRatesPanel(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~ExchangeRatesPanel() override;

    // Stores the rate typed in the form (currency, table day, rate, table number).
    bool addRate();
    // Removes the rate of the selected row.
    bool removeSelected();
    // Asks NBP (the address in the form, stored in the settings when valid) for the currency's rate of the last
    // working day before the day in the form and stores it.
    bool fetch();
    QString status() const;
    int rowCount() const;

    QLineEdit *currencyEdit() const { return m_currency; }
    QDateEdit *dayEdit() const { return m_day; }
    QLineEdit *rateEdit() const { return m_rate; }
    QLineEdit *tableEdit() const { return m_tableNo; }
    QLineEdit *fetchCurrencyEdit() const { return m_fetchCurrency; }
    QDateEdit *saleDayEdit() const { return m_saleDay; }
    QLineEdit *addressEdit() const { return m_address; }
    QTableWidget *table() const { return m_table; }

private:
    void reload();
    void showStatus(const QString &text, bool error);

    std::shared_ptr<storage::Database> m_db;
    documents::RateTable m_rates;
    QTableWidget *m_table;
    QLineEdit *m_currency, *m_rate, *m_tableNo, *m_fetchCurrency, *m_address;
    QDateEdit *m_day, *m_saleDay;
    QPushButton *m_add, *m_remove, *m_fetch;
    QLabel *m_status;
};

} // namespace sd::ui
