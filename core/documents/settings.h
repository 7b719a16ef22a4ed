#pragma once

#include "documents/document.h"
#include "storage/database.h"

#include <QMap>

#include <memory>

namespace sd::documents {

// How documents are made, per profile (stored in the database so every workstation issues alike).
struct DocumentSettings
{
    // No NIP: issue an invoice to a private person instead of leaving the order to a receipt.
    bool invoicePrivatePersons = false;
    // D1: issue an invoice for every downloaded order that asked for one (manual and automatic download).
    bool autoInvoice = false;
    QString autoInvoiceSeries; // empty: the default series of the type
    // Shipping and surcharges: "highest" (the highest rate among the item lines) or a rate code of their own.
    QString shippingVat = QStringLiteral("highest");
    QString defaultVat = QStringLiteral("23"); // items without a rate
    // EU OSS: a consumer in another EU country is charged that country's rate (the seller is OSS-registered).
    bool ossEnabled = false;
    QMap<QString, int> ossRates; // country code -> standard rate in percent
    int paymentDays = 7;         // due date for unpaid orders
    QString placeOfIssue;        // empty: the seller's city
    // Every issued FA(3) document goes to KSeF through the offline queue (core/documents/ksefservice.h).
    bool ksefEnabled = false;
    // D6: the warranty period printed on warranty cards.
    int warrantyMonths = 24;
    // D6 automatic: an order entering a status of the closed ("completed") group gets its transport slip, its
    // invoice (when the buyer wants one) and its warranty card, once (BackgroundServices, window and headless).
    // On by default: the customer's D6 ("on completion ... generated automatically").
    bool completionDocuments = true;
    // Where `rates fetch` and the rate table's "Fetch from NBP" read the NBP Web API (table A).
    QString nbpUrl = QStringLiteral("https://api.nbp.pl/api");

    static QMap<QString, int> defaultOssRates();
    QJsonObject toJson() const;
    static DocumentSettings fromJson(const QJsonObject &json);
};

// Company data and document settings, kept in document_settings (schema 12) as JSON values.
class SettingsStore
{
public:
    explicit SettingsStore(std::shared_ptr<storage::Database> db);

    Result<Party> company();
    Result<void> setCompany(const Party &company);
    Result<DocumentSettings> settings();
    Result<void> setSettings(const DocumentSettings &settings);
    // The company's data is complete enough to issue an invoice (name, valid NIP, address).
    static Result<void> checkCompany(const Party &company);

    // One stored value by key (an empty object when none): other document settings keep theirs here too.
    Result<QJsonObject> read(const QString &key);
    Result<void> write(const QString &key, const QJsonObject &value);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::documents
