#pragma once

#include "storage/database.h"
#include "util/result.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>

namespace sd::documents {

// One published NBP average (mid) rate: PLN for one unit of the currency on a day.
struct ExchangeRate
{
    QString currency; // ISO 4217, upper case
    QDate date;       // the table's day (a working day)
    QString rate;     // as published, "4.2954"
    QString table;    // "226/A/NBP/2026", or "manual" when typed in
};

// Where the rates come from. Art. 31a ust. 1: the rate of the last working day before the tax point.
class ExchangeRateProvider
{
public:
    virtual ~ExchangeRateProvider() = default;
    // The newest rate of the currency published strictly before `day`.
    virtual Result<ExchangeRate> rateBefore(const QString &currency, const QDate &day) = 0;
};

// The profile's rate table (document_settings key "exchangeRates"): rates typed in the settings or fetched with
// `sellerdesk-cli rates fetch`. Invoices are issued only from this table, so issuing never waits for the network
// and a workstation without the Internet issues alike. NBP publishes no table on a day off, so the newest stored
// rate before the day is the last working day's once the days around it were fetched.
class RateTable : public ExchangeRateProvider
{
public:
    explicit RateTable(std::shared_ptr<storage::Database> db);

    Result<QList<ExchangeRate>> list();
    // Adds or replaces the rate of that currency and day.
    Result<void> put(const ExchangeRate &rate);
    Result<void> remove(const QString &currency, const QDate &date);
    Result<ExchangeRate> rateBefore(const QString &currency, const QDate &day) override;

private:
    Result<void> store(const QList<ExchangeRate> &rates);

    std::shared_ptr<storage::Database> m_db;
};

// The NBP Web API (api.nbp.pl, table A): the mid rates of the ten days before `day`, newest last. Only run when the
// user asks (CLI `rates fetch`); tests point it at a fake on loopback.
class NbpRates : public ExchangeRateProvider
{
public:
    explicit NbpRates(QUrl baseUrl = QUrl(QStringLiteral("https://api.nbp.pl/api")), int timeoutMs = 15000);
    Result<ExchangeRate> rateBefore(const QString &currency, const QDate &day) override;

private:
    QUrl m_baseUrl;
    int m_timeoutMs;
};

} // namespace sd::documents
