#include "documents/settings.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "domain/nip.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace sd::documents {

using automation::runSql;

QMap<QString, int> DocumentSettings::defaultOssRates()
{
    // Standard rates of the EU member states (2025); the seller edits them when a country changes its rate.
    return {{u"AT"_s, 20}, {u"BE"_s, 21}, {u"BG"_s, 20}, {u"CY"_s, 19}, {u"CZ"_s, 21}, {u"DE"_s, 19}, {u"DK"_s, 25},
            {u"EE"_s, 22}, {u"EL"_s, 24}, {u"GR"_s, 24}, {u"ES"_s, 21}, {u"FI"_s, 25}, {u"FR"_s, 20}, {u"HR"_s, 25},
            {u"HU"_s, 27}, {u"IE"_s, 23}, {u"IT"_s, 22}, {u"LT"_s, 21}, {u"LU"_s, 17}, {u"LV"_s, 21}, {u"MT"_s, 18},
            {u"NL"_s, 21}, {u"PT"_s, 23}, {u"RO"_s, 19}, {u"SE"_s, 25}, {u"SI"_s, 22}, {u"SK"_s, 23}};
}

QJsonObject DocumentSettings::toJson() const
{
    QJsonObject rates;
    for (auto it = ossRates.cbegin(); it != ossRates.cend(); ++it)
        rates.insert(it.key(), it.value());
    return {{u"invoicePrivatePersons"_s, invoicePrivatePersons},
            {u"autoInvoice"_s, autoInvoice},
            {u"autoInvoiceSeries"_s, autoInvoiceSeries},
            {u"shippingVat"_s, shippingVat},
            {u"defaultVat"_s, defaultVat},
            {u"ossEnabled"_s, ossEnabled},
            {u"ossRates"_s, rates},
            {u"paymentDays"_s, paymentDays},
            {u"placeOfIssue"_s, placeOfIssue},
            {u"ksefEnabled"_s, ksefEnabled},
            {u"warrantyMonths"_s, warrantyMonths},
            {u"completionDocuments"_s, completionDocuments},
            {u"nbpUrl"_s, nbpUrl}};
}

DocumentSettings DocumentSettings::fromJson(const QJsonObject &json)
{
    DocumentSettings s;
    s.invoicePrivatePersons = json.value(u"invoicePrivatePersons").toBool(s.invoicePrivatePersons);
    s.autoInvoice = json.value(u"autoInvoice").toBool(s.autoInvoice);
    s.autoInvoiceSeries = json.value(u"autoInvoiceSeries").toString();
    s.shippingVat = json.value(u"shippingVat").toString(s.shippingVat);
    s.defaultVat = json.value(u"defaultVat").toString(s.defaultVat);
    s.ossEnabled = json.value(u"ossEnabled").toBool(s.ossEnabled);
    const QJsonObject rates = json.value(u"ossRates").toObject();
    if (rates.isEmpty()) {
        s.ossRates = defaultOssRates();
    } else {
        for (auto it = rates.begin(); it != rates.end(); ++it)
            s.ossRates.insert(it.key(), it.value().toInt());
    }
    s.paymentDays = json.value(u"paymentDays").toInt(s.paymentDays);
    s.placeOfIssue = json.value(u"placeOfIssue").toString();
    s.ksefEnabled = json.value(u"ksefEnabled").toBool(s.ksefEnabled);
    s.warrantyMonths = json.value(u"warrantyMonths").toInt(s.warrantyMonths);
    s.completionDocuments = json.value(u"completionDocuments").toBool(s.completionDocuments);
    s.nbpUrl = json.value(u"nbpUrl").toString(s.nbpUrl);
    return s;
}

SettingsStore::SettingsStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<QJsonObject> SettingsStore::read(const QString &key)
{
    auto q = runSql(*m_db, u"SELECT value FROM document_settings WHERE key = ?"_s, "read document setting", {key});
    if (!q)
        return q.error();
    if (!q->next())
        return QJsonObject();
    return QJsonDocument::fromJson(q->value(0).toString().toUtf8()).object();
}

Result<void> SettingsStore::write(const QString &key, const QJsonObject &value)
{
    auto q =
        runSql(*m_db,
               u"INSERT INTO document_settings (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s,
               "write document setting", {key, QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact))});
    if (!q)
        return q.error();
    return {};
}

Result<Party> SettingsStore::company()
{
    auto json = read(u"company"_s);
    if (!json)
        return json.error();
    return Party::fromJson(*json);
}

Result<void> SettingsStore::setCompany(const Party &company)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (auto r = checkCompany(company); !r)
        return r;
    return write(u"company"_s, company.toJson());
}

Result<DocumentSettings> SettingsStore::settings()
{
    auto json = read(u"settings"_s);
    if (!json)
        return json.error();
    return DocumentSettings::fromJson(*json);
}

Result<void> SettingsStore::setSettings(const DocumentSettings &settings)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    for (auto it = settings.ossRates.cbegin(); it != settings.ossRates.cend(); ++it) {
        if (it.value() < 0 || it.value() > 50)
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::documents", "The OSS rate for %1 must be 0-50 %.").arg(it.key()));
    }
    if (settings.shippingVat != u"highest" && !domain::VatRate::parse(settings.shippingVat))
        return domain::VatRate::parse(settings.shippingVat).error();
    if (auto r = domain::VatRate::parse(settings.defaultVat); !r)
        return r.error();
    const QUrl nbp(settings.nbpUrl, QUrl::StrictMode);
    if (!nbp.isValid() || nbp.host().isEmpty() || (nbp.scheme() != u"http" && nbp.scheme() != u"https"))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::documents", "The NBP address \"%1\" is not an http or https address.")
                .arg(settings.nbpUrl));
    return write(u"settings"_s, settings.toJson());
}

Result<void> SettingsStore::checkCompany(const Party &company)
{
    auto problem = [](const QString &message) { return makeError(Error::Code::Invalid, message); };
    if (company.name.trimmed().isEmpty())
        return problem(QCoreApplication::translate("sd::documents", "The company name is missing."));
    if (auto nip = domain::Nip::parse(company.nip); !nip)
        return nip.error();
    if (company.street.trimmed().isEmpty() || company.city.trimmed().isEmpty())
        return problem(
            QCoreApplication::translate("sd::documents", "The company address (street and city) is missing."));
    if (!company.postcode.isEmpty() && company.country == u"PL" && company.postcode.size() != 6)
        return problem(QCoreApplication::translate("sd::documents", "The postcode \"%1\" is not in the form 00-000.")
                           .arg(company.postcode));
    if (!company.bankAccount.isEmpty()) {
        QString digits = company.bankAccount;
        digits.remove(u' ');
        if (digits.startsWith(u"PL"))
            digits = digits.mid(2);
        bool ok = digits.size() == 26;
        for (QChar c : digits)
            ok = ok && c.isDigit();
        if (!ok)
            return problem(QCoreApplication::translate(
                               "sd::documents", "The bank account \"%1\" is not 26 digits (or PL and 26 digits).")
                               .arg(company.bankAccount));
    }
    return {};
}

} // namespace sd::documents
