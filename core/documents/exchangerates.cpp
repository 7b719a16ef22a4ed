#include "documents/exchangerates.h"

#include "documents/document.h"
#include "documents/settings.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sd::documents {

namespace {

Result<ExchangeRate> checked(ExchangeRate rate)
{
    rate.currency = rate.currency.trimmed().toUpper();
    rate.rate = rate.rate.trimmed().replace(u',', u'.');
    if (rate.currency.size() != 3 || rate.currency == u"PLN")
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::documents", "\"%1\" is not a foreign currency code.").arg(rate.currency));
    if (!rate.date.isValid())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The rate needs the day of its NBP table."));
    if (!rateMicros(rate.rate))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::documents", "\"%1\" is not an exchange rate (a positive number such as 4.2954).")
                             .arg(rate.rate));
    if (rate.table.trimmed().isEmpty())
        rate.table = u"manual"_s;
    return rate;
}

} // namespace

RateTable::RateTable(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<QList<ExchangeRate>> RateTable::list()
{
    auto json = SettingsStore(m_db).read(u"exchangeRates"_s);
    if (!json)
        return json.error();
    QList<ExchangeRate> rates;
    for (const QJsonValue &v : json->value(u"rates").toArray()) {
        const QJsonObject o = v.toObject();
        rates.append({o.value(u"currency").toString(), QDate::fromString(o.value(u"date").toString(), Qt::ISODate),
                      o.value(u"rate").toString(), o.value(u"table").toString()});
    }
    return rates;
}

Result<void> RateTable::store(const QList<ExchangeRate> &rates)
{
    QList<ExchangeRate> sorted = rates;
    std::sort(sorted.begin(), sorted.end(), [](const ExchangeRate &a, const ExchangeRate &b) {
        return a.currency != b.currency ? a.currency < b.currency : a.date < b.date;
    });
    QJsonArray array;
    for (const ExchangeRate &r : std::as_const(sorted))
        array.append(QJsonObject{{u"currency"_s, r.currency},
                                 {u"date"_s, r.date.toString(Qt::ISODate)},
                                 {u"rate"_s, r.rate},
                                 {u"table"_s, r.table}});
    return SettingsStore(m_db).write(u"exchangeRates"_s, QJsonObject{{u"rates"_s, array}});
}

Result<void> RateTable::put(const ExchangeRate &rate)
{
    auto valid = checked(rate);
    if (!valid)
        return valid.error();
    auto rates = list();
    if (!rates)
        return rates.error();
    rates->removeIf([&](const ExchangeRate &r) { return r.currency == valid->currency && r.date == valid->date; });
    rates->append(*valid);
    return store(*rates);
}

Result<void> RateTable::remove(const QString &currency, const QDate &date)
{
    auto rates = list();
    if (!rates)
        return rates.error();
    rates->removeIf([&](const ExchangeRate &r) { return r.currency == currency.toUpper() && r.date == date; });
    return store(*rates);
}

Result<ExchangeRate> RateTable::rateBefore(const QString &currency, const QDate &day)
{
    auto rates = list();
    if (!rates)
        return rates.error();
    const ExchangeRate *best = nullptr;
    for (const ExchangeRate &r : std::as_const(*rates))
        if (r.currency == currency.toUpper() && r.date < day && (!best || r.date > best->date))
            best = &r;
    // A rate older than a week is not the last working day's: the days between are missing from the table.
    if (!best || best->date.daysTo(day) > 7)
        return makeError(
            Error::Code::NotFound,
            QCoreApplication::translate("sd::documents",
                                        "There is no NBP rate of %1 for the last working day before %2. Add it with "
                                        "\"sellerdesk-cli rates add %1 YYYY-MM-DD RATE\" or fetch it with "
                                        "\"sellerdesk-cli rates fetch %1 --date %2\".")
                .arg(currency.toUpper(), day.toString(Qt::ISODate)));
    return *best;
}

NbpRates::NbpRates(QUrl baseUrl, int timeoutMs)
    : m_baseUrl(std::move(baseUrl))
    , m_timeoutMs(timeoutMs)
{}

Result<ExchangeRate> NbpRates::rateBefore(const QString &currency, const QDate &day)
{
    // GET {base}/exchangerates/rates/a/{code}/{from}/{to}/?format=json -> {"rates":[{"no","effectiveDate","mid"}]}
    const QDate to = day.addDays(-1);
    QUrl url = m_baseUrl;
    url.setPath(url.path() + u"/exchangerates/rates/a/%1/%2/%3/"_s.arg(
                                 currency.toLower(), day.addDays(-10).toString(Qt::ISODate), to.toString(Qt::ISODate)));
    url.setQuery(u"format=json"_s);
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 404)
        return makeError(Error::Code::NotFound, QCoreApplication::translate(
                                                    "sd::documents", "NBP has no rate of %1 in the ten days before %2.")
                                                    .arg(currency.toUpper(), day.toString(Qt::ISODate)));
    if (reply->error() != QNetworkReply::NoError)
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::documents", "The NBP rates cannot be read: %1").arg(reply->errorString()),
            url.toString());
    const QJsonArray rates = QJsonDocument::fromJson(reply->readAll()).object().value(u"rates").toArray();
    if (rates.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "NBP answered without rates."), url.toString());
    const QJsonObject last = rates.last().toObject();
    return checked({currency, QDate::fromString(last.value(u"effectiveDate").toString(), Qt::ISODate),
                    QString::number(last.value(u"mid").toDouble(), 'f', 4), last.value(u"no").toString()});
}

} // namespace sd::documents
