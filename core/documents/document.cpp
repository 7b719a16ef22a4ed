#include "documents/document.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sd::documents {

using domain::Money;
using domain::VatRate;

qint64 mulDivRounded(qint64 a, qint64 b, qint64 c)
{
    const bool negative = (a < 0) != (b < 0);
    const qint64 n = std::abs(a) * std::abs(b);
    const qint64 q = (n * 2 + c) / (2 * c);
    return negative ? -q : q;
}

namespace {

// The VAT contained in a gross amount at a percentage rate: gross * r / (100 + r), rounded once.
qint64 vatFromGross(qint64 gross, const VatRate &rate)
{
    if (rate.kind() != VatRate::Kind::Percent || rate.percentValue() == 0)
        return 0;
    return mulDivRounded(gross, rate.percentValue(), 100 + rate.percentValue());
}

// FA(3) field order of the rate groups; lower sorts first.
int rateOrder(const QString &key)
{
    static const QStringList order = {u"23"_s,   u"22"_s, u"8"_s,    u"7"_s,     u"5"_s,
                                      u"4"_s,    u"3"_s,  u"OSS"_s,  u"0 KR"_s,  u"0 WDT"_s,
                                      u"0 EX"_s, u"zw"_s, u"np I"_s, u"np II"_s, u"oo"_s};
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (key.startsWith(order.at(i)))
            return int(i);
    }
    return int(order.size());
}

QString procedureKey(Procedure p)
{
    switch (p) {
    case Procedure::Domestic:
        return u"domestic"_s;
    case Procedure::Oss:
        return u"oss"_s;
    case Procedure::IntraEu:
        return u"intra-eu"_s;
    case Procedure::Export:
        return u"export"_s;
    }
    return {};
}

Procedure procedureFromKey(QStringView key)
{
    if (key == u"oss")
        return Procedure::Oss;
    if (key == u"intra-eu")
        return Procedure::IntraEu;
    if (key == u"export")
        return Procedure::Export;
    return Procedure::Domestic;
}

QJsonArray linesToJson(const QList<DocumentLine> &lines)
{
    QJsonArray array;
    for (const DocumentLine &line : lines)
        array.append(line.toJson());
    return array;
}

Result<QList<DocumentLine>> linesFromJson(const QJsonArray &array, const QString &currency)
{
    QList<DocumentLine> lines;
    for (const QJsonValue &value : array) {
        auto line = DocumentLine::fromJson(value.toObject(), currency);
        if (!line)
            return line.error();
        lines.append(*line);
    }
    return lines;
}

QString dateText(const QDate &date)
{
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
}

} // namespace

QString typeKey(DocumentType type)
{
    switch (type) {
    case DocumentType::Vat:
        return u"vat"_s;
    case DocumentType::Private:
        return u"private"_s;
    case DocumentType::Simplified:
        return u"receipt-invoice"_s;
    case DocumentType::Correction:
        return u"correction"_s;
    case DocumentType::Proforma:
        return u"proforma"_s;
    case DocumentType::TransportSlip:
        return u"transport-slip"_s;
    case DocumentType::WarrantyCard:
        return u"warranty"_s;
    }
    return {};
}

std::optional<DocumentType> typeFromKey(QStringView key)
{
    for (DocumentType t : {DocumentType::Vat, DocumentType::Private, DocumentType::Simplified, DocumentType::Correction,
                           DocumentType::Proforma, DocumentType::TransportSlip, DocumentType::WarrantyCard}) {
        if (typeKey(t) == key)
            return t;
    }
    return std::nullopt;
}

QString typeTitle(DocumentType type, const QString &language)
{
    const bool en = language == u"en";
    switch (type) {
    case DocumentType::Vat:
    case DocumentType::Private:
        return en ? u"VAT invoice"_s : u"Faktura VAT"_s;
    case DocumentType::Simplified:
        return en ? u"Simplified VAT invoice"_s : u"Faktura uproszczona"_s;
    case DocumentType::Correction:
        return en ? u"Corrective VAT invoice"_s : u"Faktura korygująca"_s;
    case DocumentType::Proforma:
        return en ? u"Pro forma invoice"_s : u"Faktura pro forma"_s;
    case DocumentType::TransportSlip:
        return en ? u"Delivery note"_s : u"List przewozowy (dokument dostawy)"_s;
    case DocumentType::WarrantyCard:
        return en ? u"Warranty card"_s : u"Karta gwarancyjna"_s;
    }
    return {};
}

bool isSale(DocumentType type)
{
    return type == DocumentType::Vat || type == DocumentType::Private || type == DocumentType::Simplified;
}

bool isKsefDocument(DocumentType type)
{
    return type != DocumentType::Proforma && !isDeliveryDocument(type);
}

bool isDeliveryDocument(DocumentType type)
{
    return type == DocumentType::TransportSlip || type == DocumentType::WarrantyCard;
}

QString Party::addressLine2() const
{
    return QString(postcode + u' ' + city).trimmed();
}

QJsonObject Party::toJson() const
{
    QJsonObject o;
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1StringView(key), value);
    };
    put("name", name);
    put("nip", nip);
    put("euVatId", euVatId);
    put("street", street);
    put("postcode", postcode);
    put("city", city);
    put("country", country);
    put("email", email);
    put("phone", phone);
    put("bankAccount", bankAccount);
    put("bankName", bankName);
    put("logoPath", logoPath);
    return o;
}

Party Party::fromJson(const QJsonObject &json)
{
    Party p;
    p.name = json.value(u"name").toString();
    p.nip = json.value(u"nip").toString();
    p.euVatId = json.value(u"euVatId").toString();
    p.street = json.value(u"street").toString();
    p.postcode = json.value(u"postcode").toString();
    p.city = json.value(u"city").toString();
    p.country = json.value(u"country").toString(u"PL"_s);
    p.email = json.value(u"email").toString();
    p.phone = json.value(u"phone").toString();
    p.bankAccount = json.value(u"bankAccount").toString();
    p.bankName = json.value(u"bankName").toString();
    p.logoPath = json.value(u"logoPath").toString();
    return p;
}

Money DocumentLine::net() const
{
    const Money g = gross();
    return Money(g.minor() - vatFromGross(g.minor(), rate), g.currency());
}

QString DocumentLine::fa3RateCode() const
{
    switch (procedure) {
    case Procedure::Oss:
        return {};
    case Procedure::IntraEu:
        return u"0 WDT"_s;
    case Procedure::Export:
        return u"0 EX"_s;
    case Procedure::Domestic:
        break;
    }
    switch (rate.kind()) {
    case VatRate::Kind::Percent:
        return rate.percentValue() == 0 ? u"0 KR"_s : QString::number(rate.percentValue());
    case VatRate::Kind::Exempt:
        return u"zw"_s;
    case VatRate::Kind::NotSubject:
        return u"np I"_s;
    case VatRate::Kind::ReverseCharge:
        return u"oo"_s;
    }
    return {};
}

QString DocumentLine::rateKey() const
{
    if (procedure == Procedure::Oss)
        return u"OSS "_s + QString::number(rate.percentValue());
    return fa3RateCode();
}

QString DocumentLine::rateLabel() const
{
    switch (procedure) {
    case Procedure::Oss:
        return QString::number(rate.percentValue()) + u"% OSS"_s;
    case Procedure::IntraEu:
        return u"0% WDT"_s;
    case Procedure::Export:
        return u"0% EX"_s;
    case Procedure::Domestic:
        break;
    }
    return rate.kind() == VatRate::Kind::Percent ? QString::number(rate.percentValue()) + u'%' : rate.code();
}

QJsonObject DocumentLine::toJson() const
{
    QJsonObject o{{u"kind"_s, kind},
                  {u"name"_s, name},
                  {u"unit"_s, unit},
                  {u"quantity"_s, quantity},
                  {u"unitGross"_s, unitGross.toDecimalString()},
                  {u"rate"_s, rate.code()},
                  {u"procedure"_s, procedureKey(procedure)}};
    if (!discount.isZero())
        o.insert(u"discount"_s, discount.toDecimalString());
    if (!sku.isEmpty())
        o.insert(u"sku"_s, sku);
    if (!ean.isEmpty())
        o.insert(u"ean"_s, ean);
    return o;
}

Result<DocumentLine> DocumentLine::fromJson(const QJsonObject &json, const QString &currency)
{
    DocumentLine line;
    line.kind = json.value(u"kind").toString(u"item"_s);
    line.name = json.value(u"name").toString();
    line.unit = json.value(u"unit").toString(u"szt."_s);
    line.sku = json.value(u"sku").toString();
    line.ean = json.value(u"ean").toString();
    line.quantity = json.value(u"quantity").toInteger(1);
    auto unit = Money::parse(json.value(u"unitGross").toString(), currency);
    if (!unit)
        return unit.error();
    line.unitGross = *unit;
    auto discount = Money::parse(json.value(u"discount").toString(u"0"_s), currency);
    if (!discount)
        return discount.error();
    line.discount = *discount;
    line.procedure = procedureFromKey(json.value(u"procedure").toString());
    const QString rate = json.value(u"rate").toString();
    if (line.procedure == Procedure::Oss) {
        line.rate = VatRate::percent(rate.toInt());
    } else {
        auto parsed = VatRate::parse(rate);
        if (!parsed)
            return parsed.error();
        line.rate = *parsed;
    }
    return line;
}

const RateTotal *Totals::find(const QString &key) const
{
    for (const RateTotal &t : perRate) {
        if (t.key == key)
            return &t;
    }
    return nullptr;
}

Totals computeTotals(const QList<DocumentLine> &lines, const QString &currency)
{
    Totals totals;
    for (const DocumentLine &line : lines) {
        const QString key = line.rateKey();
        auto it = std::find_if(totals.perRate.begin(), totals.perRate.end(),
                               [&](const RateTotal &t) { return t.key == key; });
        if (it == totals.perRate.end()) {
            totals.perRate.append(
                RateTotal{key, line.rate, line.procedure, Money(0, currency), Money(0, currency), Money(0, currency)});
            it = std::prev(totals.perRate.end());
        }
        it->gross = Money(it->gross.minor() + line.gross().minor(), currency);
    }
    Money net(0, currency);
    Money vat(0, currency);
    Money gross(0, currency);
    for (RateTotal &t : totals.perRate) {
        t.vat = Money(vatFromGross(t.gross.minor(), t.rate), currency);
        t.net = t.gross - t.vat;
        net += t.net;
        vat += t.vat;
        gross += t.gross;
    }
    std::stable_sort(totals.perRate.begin(), totals.perRate.end(),
                     [](const RateTotal &a, const RateTotal &b) { return rateOrder(a.key) < rateOrder(b.key); });
    totals.net = net;
    totals.vat = vat;
    totals.gross = gross;
    return totals;
}

Totals differenceOf(const Totals &after, const Totals &before, const QString &currency)
{
    Totals diff;
    auto add = [&](const RateTotal &t, int sign) {
        auto it =
            std::find_if(diff.perRate.begin(), diff.perRate.end(), [&](const RateTotal &d) { return d.key == t.key; });
        if (it == diff.perRate.end()) {
            diff.perRate.append(
                RateTotal{t.key, t.rate, t.procedure, Money(0, currency), Money(0, currency), Money(0, currency)});
            it = std::prev(diff.perRate.end());
        }
        it->net += t.net * sign;
        it->vat += t.vat * sign;
        it->gross += t.gross * sign;
    };
    for (const RateTotal &t : after.perRate)
        add(t, 1);
    for (const RateTotal &t : before.perRate)
        add(t, -1);
    std::stable_sort(diff.perRate.begin(), diff.perRate.end(),
                     [](const RateTotal &a, const RateTotal &b) { return rateOrder(a.key) < rateOrder(b.key); });
    diff.net = after.net - before.net;
    diff.vat = after.vat - before.vat;
    diff.gross = after.gross - before.gross;
    return diff;
}

QString paymentMethodKey(PaymentMethod method)
{
    switch (method) {
    case PaymentMethod::Cash:
        return u"cash"_s;
    case PaymentMethod::Card:
        return u"card"_s;
    case PaymentMethod::Voucher:
        return u"voucher"_s;
    case PaymentMethod::Cheque:
        return u"cheque"_s;
    case PaymentMethod::Credit:
        return u"credit"_s;
    case PaymentMethod::Transfer:
        return u"transfer"_s;
    case PaymentMethod::Mobile:
        return u"mobile"_s;
    }
    return {};
}

std::optional<PaymentMethod> paymentMethodFromKey(QStringView key)
{
    for (int i = 1; i <= 7; ++i) {
        if (paymentMethodKey(PaymentMethod(i)) == key)
            return PaymentMethod(i);
    }
    return std::nullopt;
}

QString paymentMethodLabel(PaymentMethod method, const QString &language)
{
    const bool en = language == u"en";
    switch (method) {
    case PaymentMethod::Cash:
        return en ? u"cash"_s : u"gotówka"_s;
    case PaymentMethod::Card:
        return en ? u"card"_s : u"karta"_s;
    case PaymentMethod::Voucher:
        return en ? u"voucher"_s : u"bon"_s;
    case PaymentMethod::Cheque:
        return en ? u"cheque"_s : u"czek"_s;
    case PaymentMethod::Credit:
        return en ? u"credit"_s : u"kredyt"_s;
    case PaymentMethod::Transfer:
        return en ? u"bank transfer"_s : u"przelew"_s;
    case PaymentMethod::Mobile:
        return en ? u"mobile payment"_s : u"płatność mobilna"_s;
    }
    return {};
}

QString stateKey(DocumentState state)
{
    switch (state) {
    case DocumentState::Draft:
        return u"draft"_s;
    case DocumentState::Issued:
        return u"issued"_s;
    case DocumentState::OfflineIssued:
        return u"offline"_s;
    case DocumentState::Queued:
        return u"queued"_s;
    case DocumentState::Sent:
        return u"sent"_s;
    case DocumentState::Accepted:
        return u"accepted"_s;
    case DocumentState::Rejected:
        return u"rejected"_s;
    case DocumentState::Cancelled:
        return u"cancelled"_s;
    case DocumentState::Corrected:
        return u"corrected"_s;
    }
    return {};
}

std::optional<DocumentState> stateFromKey(QStringView key)
{
    for (int i = 0; i <= int(DocumentState::Corrected); ++i) {
        if (stateKey(DocumentState(i)) == key)
            return DocumentState(i);
    }
    return std::nullopt;
}

QString stateLabel(DocumentState state)
{
    switch (state) {
    case DocumentState::Draft:
        return QCoreApplication::translate("sd::documents", "draft");
    case DocumentState::Issued:
        return QCoreApplication::translate("sd::documents", "issued");
    case DocumentState::OfflineIssued:
        return QCoreApplication::translate("sd::documents", "issued offline");
    case DocumentState::Queued:
        return QCoreApplication::translate("sd::documents", "waiting for KSeF");
    case DocumentState::Sent:
        return QCoreApplication::translate("sd::documents", "sent to KSeF");
    case DocumentState::Accepted:
        return QCoreApplication::translate("sd::documents", "accepted by KSeF");
    case DocumentState::Rejected:
        return QCoreApplication::translate("sd::documents", "rejected");
    case DocumentState::Cancelled:
        return QCoreApplication::translate("sd::documents", "cancelled");
    case DocumentState::Corrected:
        return QCoreApplication::translate("sd::documents", "corrected");
    }
    return {};
}

Totals Document::totals() const
{
    const Totals after = computeTotals(lines, currency);
    if (type != DocumentType::Correction)
        return after;
    return differenceOf(after, computeTotals(linesBefore, currency), currency);
}

QJsonObject Document::toJson() const
{
    QJsonObject o{{u"type"_s, typeKey(type)},
                  {u"state"_s, stateKey(state)},
                  {u"currency"_s, currency},
                  {u"seller"_s, seller.toJson()},
                  {u"buyer"_s, buyer.toJson()},
                  {u"lines"_s, linesToJson(lines)},
                  {u"paymentMethod"_s, paymentMethodKey(paymentMethod)},
                  {u"paid"_s, paid},
                  {u"language"_s, language}};
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1StringView(key), value);
    };
    if (id)
        o.insert(u"id"_s, id);
    if (orderId)
        o.insert(u"orderId"_s, orderId);
    if (correctsId)
        o.insert(u"correctsId"_s, correctsId);
    put("number", number);
    put("series", series);
    put("orderReference", orderReference);
    put("issueDate", dateText(issueDate));
    put("saleDate", dateText(saleDate));
    put("placeOfIssue", placeOfIssue);
    put("paidDate", dateText(paidDate));
    put("dueDate", dateText(dueDate));
    put("notes", notes);
    put("correctionReason", correctionReason);
    put("correctedNumber", correctedNumber);
    put("correctedIssueDate", dateText(correctedIssueDate));
    put("correctedKsefNumber", correctedKsefNumber);
    if (!recipient.name.isEmpty() || !recipient.street.isEmpty())
        o.insert(u"recipient"_s, recipient.toJson());
    put("deliveryMethod", deliveryMethod);
    if (warrantyMonths)
        o.insert(u"warrantyMonths"_s, warrantyMonths);
    put("exchangeRate", exchangeRate);
    put("exchangeRateDate", dateText(exchangeRateDate));
    put("exchangeRateTable", exchangeRateTable);
    put("ksefNumber", ksefNumber);
    put("ksefReference", ksefReference);
    put("rejectionReason", rejectionReason);
    if (offline)
        o.insert(u"offline"_s, true);
    if (type == DocumentType::Correction)
        o.insert(u"linesBefore"_s, linesToJson(linesBefore));
    const Totals t = totals();
    QJsonArray rates;
    for (const RateTotal &r : t.perRate)
        rates.append(QJsonObject{{u"rate"_s, r.key},
                                 {u"net"_s, r.net.toDecimalString()},
                                 {u"vat"_s, r.vat.toDecimalString()},
                                 {u"gross"_s, r.gross.toDecimalString()}});
    o.insert(u"totals"_s, QJsonObject{{u"perRate"_s, rates},
                                      {u"net"_s, t.net.toDecimalString()},
                                      {u"vat"_s, t.vat.toDecimalString()},
                                      {u"gross"_s, t.gross.toDecimalString()}});
    return o;
}

domain::Money Document::inPln(const domain::Money &amount) const
{
    // The rate as an exact decimal in millionths (NBP publishes 4 places; FA(3) TIlosci allows 6).
    const qint64 micro = rateMicros(exchangeRate).value_or(0);
    const __int128 product = __int128(amount.minor()) * micro;
    const __int128 half = product >= 0 ? 500000 : -500000;
    return domain::Money(qint64((product + half) / 1000000), u"PLN"_s);
}

std::optional<qint64> rateMicros(const QString &rate)
{
    const QString text = rate.trimmed().replace(u',', u'.');
    static const QRegularExpression shape(u"^\\d{1,6}(\\.\\d{1,6})?$"_s);
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    const QString whole = text.section(u'.', 0, 0);
    const QString fraction = text.section(u'.', 1, 1).leftJustified(6, u'0');
    const qint64 micros = whole.toLongLong() * 1000000 + fraction.toLongLong();
    if (micros <= 0)
        return std::nullopt;
    return micros;
}

Result<Document> Document::fromJson(const QJsonObject &json)
{
    Document d;
    auto type = typeFromKey(json.value(u"type").toString());
    auto state = stateFromKey(json.value(u"state").toString());
    if (!type || !state)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The stored document is damaged."),
                         u"type or state"_s);
    d.type = *type;
    d.state = *state;
    d.id = json.value(u"id").toInteger();
    d.orderId = json.value(u"orderId").toInteger();
    d.correctsId = json.value(u"correctsId").toInteger();
    d.number = json.value(u"number").toString();
    d.series = json.value(u"series").toString();
    d.orderReference = json.value(u"orderReference").toString();
    d.issueDate = QDate::fromString(json.value(u"issueDate").toString(), Qt::ISODate);
    d.saleDate = QDate::fromString(json.value(u"saleDate").toString(), Qt::ISODate);
    d.placeOfIssue = json.value(u"placeOfIssue").toString();
    d.seller = Party::fromJson(json.value(u"seller").toObject());
    d.buyer = Party::fromJson(json.value(u"buyer").toObject());
    d.currency = json.value(u"currency").toString(u"PLN"_s);
    auto lines = linesFromJson(json.value(u"lines").toArray(), d.currency);
    if (!lines)
        return lines.error();
    d.lines = *lines;
    auto before = linesFromJson(json.value(u"linesBefore").toArray(), d.currency);
    if (!before)
        return before.error();
    d.linesBefore = *before;
    d.paymentMethod = paymentMethodFromKey(json.value(u"paymentMethod").toString()).value_or(PaymentMethod::Transfer);
    d.paid = json.value(u"paid").toBool();
    d.paidDate = QDate::fromString(json.value(u"paidDate").toString(), Qt::ISODate);
    d.dueDate = QDate::fromString(json.value(u"dueDate").toString(), Qt::ISODate);
    d.language = json.value(u"language").toString(u"pl"_s);
    d.notes = json.value(u"notes").toString();
    d.correctionReason = json.value(u"correctionReason").toString();
    d.correctedNumber = json.value(u"correctedNumber").toString();
    d.correctedIssueDate = QDate::fromString(json.value(u"correctedIssueDate").toString(), Qt::ISODate);
    d.correctedKsefNumber = json.value(u"correctedKsefNumber").toString();
    d.recipient = Party::fromJson(json.value(u"recipient").toObject());
    d.deliveryMethod = json.value(u"deliveryMethod").toString();
    d.warrantyMonths = json.value(u"warrantyMonths").toInt();
    d.exchangeRate = json.value(u"exchangeRate").toString();
    d.exchangeRateDate = QDate::fromString(json.value(u"exchangeRateDate").toString(), Qt::ISODate);
    d.exchangeRateTable = json.value(u"exchangeRateTable").toString();
    d.ksefNumber = json.value(u"ksefNumber").toString();
    d.ksefReference = json.value(u"ksefReference").toString();
    d.rejectionReason = json.value(u"rejectionReason").toString();
    d.offline = json.value(u"offline").toBool();
    return d;
}

} // namespace sd::documents
