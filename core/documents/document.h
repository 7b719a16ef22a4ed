#pragma once

#include "domain/money.h"
#include "domain/vatrate.h"
#include "util/result.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sd::documents {

// a * b / c rounded half away from zero, in integers (no floating point anywhere near money).
qint64 mulDivRounded(qint64 a, qint64 b, qint64 c);

// The kinds of sales document. A VAT invoice needs the buyer's NIP (or EU VAT id); without one the order gets a
// receipt, or, when the seller allows it, an invoice to a private person.
enum class DocumentType {
    Vat,        // faktura VAT (FA(3) RodzajFaktury VAT)
    Private,    // faktura VAT for a private person (no tax id; FA(3) VAT with BrakID)
    Simplified, // faktura uproszczona backed by a receipt with NIP, at most 450 zł gross (FA(3) UPR)
    Correction, // faktura korygująca, art. 106j (FA(3) KOR)
    Proforma,   // not an invoice: no number in the VAT sense, never sent to KSeF
    // D6, made on completion beside the invoice; series of their own (LP, KG), never FA(3) or KSeF:
    TransportSlip, // list przewozowy / dokument dostawy: what leaves, to whom, how (no prices)
    WarrantyCard,  // karta gwarancyjna: the products, the sale date, the warranty period and terms
};
// "vat", "private", "receipt-invoice", "correction", "proforma", "transport-slip", "warranty"
QString typeKey(DocumentType type);
std::optional<DocumentType> typeFromKey(QStringView key);
QString typeTitle(DocumentType type, const QString &language); // "Faktura VAT" / "VAT invoice"
// Sales documents (every type but a correction and a pro-forma): one active per order.
bool isSale(DocumentType type);
// Whether the document is a structured invoice that goes to KSeF as FA(3).
bool isKsefDocument(DocumentType type);
// The completion documents (D6): not invoices, no VAT totals, no FA(3).
bool isDeliveryDocument(DocumentType type);

// How the line's tax is reported: in Poland, or one of the cross-border procedures that change the FA(3) field.
enum class Procedure {
    Domestic, // the Polish rate; 0 % is "0 KR"
    Oss,      // EU One-Stop-Shop: the buyer's country rate (P_12_XII, P_13_5 / P_14_5)
    IntraEu,  // intra-community supply to an EU VAT payer: "0 WDT"
    Export,   // export outside the EU: "0 EX"
};

struct Party
{
    QString name;
    QString nip;     // Polish NIP, ten digits
    QString euVatId; // a foreign buyer's tax id: an EU VAT id without its country prefix, or another country's id
    QString street;
    QString postcode;
    QString city;
    QString country = QStringLiteral("PL");
    QString email;
    QString phone;
    QString bankAccount; // the seller's account (IBAN or 26 digits)
    QString bankName;
    QString logoPath;

    bool hasTaxId() const { return !nip.isEmpty() || !euVatId.isEmpty(); }
    bool isDomestic() const { return country.isEmpty() || country == u"PL"; }
    QString addressLine1() const { return street; }
    QString addressLine2() const;
    QJsonObject toJson() const;
    static Party fromJson(const QJsonObject &json);
    bool operator==(const Party &) const = default;
};

// One line as it stands on the invoice. Prices are gross (what the buyer pays); the tax is computed from gross
// values per rate (art. 106e ust. 7 and 8), see computeTotals().
struct DocumentLine
{
    QString kind = QStringLiteral("item"); // item, shipping, surcharge
    QString name;
    QString unit = QStringLiteral("szt.");
    QString sku;
    QString ean;
    qint64 quantity = 1;
    domain::Money unitGross;
    domain::Money discount; // gross discount on the whole line, >= 0 (P_10)
    domain::VatRate rate;
    Procedure procedure = Procedure::Domestic;

    domain::Money gross() const { return unitGross * quantity - discount; }
    // The line's own net value, for display (P_11 / the PDF); totals never add these up, see computeTotals().
    domain::Money net() const;
    // The FA(3) P_12 code ("23", "0 KR", "0 WDT", "zw", "np I", "oo"); empty for OSS lines (they use P_12_XII).
    QString fa3RateCode() const;
    // The key lines are grouped under for the totals: the P_12 code, or "OSS 19" for OSS lines.
    QString rateKey() const;
    QString rateLabel() const; // "23%", "zw", "0% WDT", "19% OSS"
    QJsonObject toJson() const;
    static Result<DocumentLine> fromJson(const QJsonObject &json, const QString &currency);
    bool operator==(const DocumentLine &) const = default;
};

struct RateTotal
{
    QString key; // DocumentLine::rateKey()
    domain::VatRate rate;
    Procedure procedure = Procedure::Domestic;
    domain::Money net;
    domain::Money vat;
    domain::Money gross;
};

struct Totals
{
    QList<RateTotal> perRate; // in FA(3) field order (23, 8, 5, OSS, 0 KR, 0 WDT, 0 EX, zw, np, oo)
    domain::Money net;
    domain::Money vat;
    domain::Money gross;
    const RateTotal *find(const QString &key) const;
};

// Totals per rate, the way the law and KSeF expect them when prices are gross (art. 106e ust. 7-8):
// the gross values of the lines with one rate are added up first; the VAT of that rate is
// gross * r / (100 + r), rounded once to the grosz (half away from zero); the net is gross - VAT. The per-rate
// sums are what P_13_x (net) and P_14_x (VAT) carry and P_15 is their gross total, so the invoice total is always
// exactly what the buyer paid. Line net values are shown but never added up (rounding per line would drift).
Totals computeTotals(const QList<DocumentLine> &lines, const QString &currency);
// after - before, per rate (a correction's differences, art. 106j ust. 2 pkt 5).
Totals differenceOf(const Totals &after, const Totals &before, const QString &currency);

enum class PaymentMethod { Cash = 1, Card = 2, Voucher = 3, Cheque = 4, Credit = 5, Transfer = 6, Mobile = 7 };
QString paymentMethodKey(PaymentMethod method);
std::optional<PaymentMethod> paymentMethodFromKey(QStringView key);
QString paymentMethodLabel(PaymentMethod method, const QString &language);

// An exchange rate ("4.2954", "4,2954") in millionths; nullopt unless a positive number with at most 6 places.
std::optional<qint64> rateMicros(const QString &rate);

enum class DocumentState { Draft, Issued, OfflineIssued, Queued, Sent, Accepted, Rejected, Cancelled, Corrected };
QString stateKey(DocumentState state); // draft, issued, offline, queued, sent, accepted, rejected, cancelled, corrected
std::optional<DocumentState> stateFromKey(QStringView key);
QString stateLabel(DocumentState state); // translated

struct Document
{
    qint64 id = 0;
    DocumentType type = DocumentType::Vat;
    DocumentState state = DocumentState::Draft;
    QString number; // empty until issued
    QString series;
    qint64 orderId = 0;
    QString orderReference; // the marketplace's order id, for the buyer
    QDate issueDate;
    QDate saleDate; // the date of supply (P_6), printed when it differs from the issue date
    QString placeOfIssue;
    Party seller;
    Party buyer;
    QString currency = QStringLiteral("PLN");
    QList<DocumentLine> lines; // a correction: the lines after the correction
    PaymentMethod paymentMethod = PaymentMethod::Transfer;
    bool paid = false;
    QDate paidDate;
    QDate dueDate;
    QString language = QStringLiteral("pl"); // "pl" or "en" (foreign buyers)
    QString notes;
    // D6: where the goods go and how (transport slip), and the warranty period in months (warranty card).
    Party recipient;
    QString deliveryMethod;
    int warrantyMonths = 0;

    // Correction (art. 106j)
    qint64 correctsId = 0;
    QString correctionReason;
    QString correctedNumber;
    QDate correctedIssueDate;
    QString correctedKsefNumber;
    QList<DocumentLine> linesBefore;

    // A foreign currency (art. 106e ust. 11, art. 31a ust. 1): the NBP average (mid) rate of the last working day
    // before the tax point (the sale date, else the issue date) converts the VAT of each rate to PLN.
    QString exchangeRate; // PLN for one unit of the currency, as published ("4.2954"); empty for PLN
    QDate exchangeRateDate;
    QString exchangeRateTable; // the NBP table ("226/A/NBP/2026") or "manual"
    bool foreignCurrency() const { return currency != QStringLiteral("PLN"); }
    // An amount of the invoice's currency in PLN at its rate, rounded half away from zero to the grosz.
    domain::Money inPln(const domain::Money &amount) const;

    // KSeF
    QString ksefNumber;
    QString ksefReference;
    QString rejectionReason;
    bool offline = false;

    // A sales document: the per-rate totals of its lines. A correction: the differences after - before.
    Totals totals() const;
    QJsonObject toJson() const;
    static Result<Document> fromJson(const QJsonObject &json);
};

} // namespace sd::documents
