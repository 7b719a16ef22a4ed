#include "documents/documentbuilder.h"

#include "domain/nip.h"

#include <QCoreApplication>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace sd::documents {

using domain::Money;
using domain::VatRate;

namespace {

// EU member states (ISO codes; Greece is GR in addresses and EL in VAT ids).
bool isEu(const QString &country)
{
    static const QStringList eu = {u"AT"_s, u"BE"_s, u"BG"_s, u"CY"_s, u"CZ"_s, u"DE"_s, u"DK"_s,
                                   u"EE"_s, u"EL"_s, u"GR"_s, u"ES"_s, u"FI"_s, u"FR"_s, u"HR"_s,
                                   u"HU"_s, u"IE"_s, u"IT"_s, u"LT"_s, u"LU"_s, u"LV"_s, u"MT"_s,
                                   u"NL"_s, u"PL"_s, u"PT"_s, u"RO"_s, u"SE"_s, u"SI"_s, u"SK"_s};
    return eu.contains(country);
}

Error refused(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

// FA(3) FormaPlatnosci: cash on delivery and cash at the counter are cash; a company purchase on a payment term (and
// Allegro's deferred payment) is trade credit; online payments and transfers reach the account as transfers.
PaymentMethod paymentMethodOf(const domain::Payment &payment)
{
    if (payment.isCashOnDelivery() || payment.method == QLatin1StringView(domain::PaymentMethodKey::kCash))
        return PaymentMethod::Cash;
    if (payment.method == QLatin1StringView(domain::PaymentMethodKey::kCompanyPurchase) ||
        payment.method == QLatin1StringView(domain::PaymentMethodKey::kExtendedTerm))
        return PaymentMethod::Credit;
    return PaymentMethod::Transfer;
}

// The buyer as the invoice names them: the invoice request's data when the buyer asked for an invoice, else the
// buyer and the delivery address.
Result<Party> buyerOf(const domain::Order &order)
{
    Party p;
    const domain::Address &a =
        order.invoice.wanted && !order.invoice.address.isEmpty() ? order.invoice.address : order.delivery.address;
    p.street = a.street;
    p.postcode = a.postCode;
    p.city = a.city;
    p.country = a.countryCode.isEmpty() ? u"PL"_s : a.countryCode;
    p.email = order.buyer.email;
    p.phone = order.buyer.phone;
    QString company = order.invoice.companyName;
    if (company.isEmpty())
        company = a.companyName;
    if (company.isEmpty())
        company = order.buyer.companyName;
    const QString person = QString(a.firstName + u' ' + a.lastName).trimmed();
    p.name = !company.isEmpty() ? company : (!person.isEmpty() ? person : order.buyer.displayName());
    QString taxId = order.invoice.nip.isEmpty() ? order.buyer.nip : order.invoice.nip;
    taxId.remove(u' ');
    taxId.remove(u'-');
    if (taxId.isEmpty())
        return p;
    // An EU VAT id starts with its country's code ("DE123456789", Greece "EL"); other foreign ids are kept whole.
    const QString prefix = taxId.left(2).toUpper();
    if (prefix != u"PL" && isEu(prefix)) {
        p.euVatId = taxId.mid(2);
        p.country = prefix == u"EL" ? u"GR"_s : prefix;
        return p;
    }
    if (!p.isDomestic()) {
        p.euVatId = taxId;
        return p;
    }
    auto nip = domain::Nip::parse(taxId);
    if (!nip)
        return nip.error();
    p.nip = nip->digits();
    return p;
}

// The lines of the order's sales document: items at their rates, shipping and surcharges, discounts spread over
// the items. Shared by buildFromOrder and orderVatTotals, so an invoice and the profit report tax alike.
Result<QList<DocumentLine>> linesFor(const domain::Order &order, const Party &buyer, const QString &currency,
                                     const QString &language, const DocumentSettings &settings)
{
    QList<DocumentLine> lines;
    // Rates: Polish, OSS, intra-EU or export.
    Procedure procedure = Procedure::Domestic;
    int ossRate = 0;
    if (!buyer.isDomestic()) {
        if (!isEu(buyer.country)) {
            procedure = Procedure::Export;
        } else if (!buyer.euVatId.isEmpty()) {
            procedure = Procedure::IntraEu;
        } else if (settings.ossEnabled) {
            procedure = Procedure::Oss;
            ossRate = settings.ossRates.value(buyer.country, -1);
            if (ossRate < 0)
                return refused(
                    QCoreApplication::translate("sd::documents", "No OSS VAT rate is set for %1.").arg(buyer.country));
        }
    }
    auto defaultRate = VatRate::parse(settings.defaultVat);
    if (!defaultRate)
        return defaultRate.error();
    auto rateFor = [&](const VatRate &own) {
        if (procedure == Procedure::Oss)
            return VatRate::percent(ossRate);
        if (procedure != Procedure::Domestic)
            return VatRate::percent(0);
        return own.isValid() ? own : *defaultRate;
    };

    for (const domain::LineItem &item : order.items) {
        DocumentLine line;
        line.name = item.name;
        line.sku = item.sku;
        line.ean = item.ean;
        line.unit = language == u"en" ? u"pcs"_s : u"szt."_s;
        line.quantity = item.quantity;
        line.unitGross = item.unitPrice;
        line.discount = Money(0, currency);
        line.rate = rateFor(item.vatRate);
        line.procedure = procedure;
        lines.append(line);
    }

    // Shipping and surcharges: the highest rate among the items, or the rate set for them.
    VatRate extraRate = *defaultRate;
    if (settings.shippingVat == u"highest") {
        int best = -1;
        for (const domain::LineItem &item : order.items) {
            const VatRate r = item.vatRate.isValid() ? item.vatRate : *defaultRate;
            if (r.kind() == VatRate::Kind::Percent && r.percentValue() > best) {
                best = r.percentValue();
                extraRate = r;
            }
        }
    } else if (auto own = VatRate::parse(settings.shippingVat)) {
        extraRate = *own;
    }
    auto addExtra = [&](const QString &kind, const QString &name, const Money &amount) {
        DocumentLine line;
        line.kind = kind;
        line.name = name;
        line.unit = language == u"en" ? u"svc"_s : u"usł."_s;
        line.quantity = 1;
        line.unitGross = amount;
        line.discount = Money(0, currency);
        line.rate = rateFor(extraRate);
        line.procedure = procedure;
        lines.append(line);
    };
    const bool en = language == u"en";
    if (!order.delivery.cost.isNull() && order.delivery.cost.minor() > 0)
        addExtra(u"shipping"_s,
                 (en ? u"Shipping"_s : u"Koszt wysyłki"_s) +
                     (order.delivery.methodName.isEmpty() ? QString() : u": "_s + order.delivery.methodName),
                 order.delivery.cost);
    qint64 discount = 0;
    for (const domain::Adjustment &adj : order.adjustments) {
        if (adj.amount.minor() < 0)
            discount += -adj.amount.minor();
        else if (adj.amount.minor() > 0)
            addExtra(u"surcharge"_s, adj.description.isEmpty() ? (en ? u"Surcharge"_s : u"Dopłata"_s) : adj.description,
                     adj.amount);
    }
    if (discount > 0) {
        QList<qint64> weights;
        for (const DocumentLine &line : std::as_const(lines))
            weights.append(line.kind == u"item" ? line.gross().minor() : 0);
        const QList<qint64> parts = spreadProportionally(discount, weights);
        const qint64 given = std::accumulate(parts.cbegin(), parts.cend(), qint64(0));
        if (given < discount)
            return refused(
                QCoreApplication::translate("sd::documents", "The order's discounts are larger than its items."));
        for (qsizetype i = 0; i < lines.size(); ++i)
            lines[i].discount = Money(parts.at(i), currency);
    }

    return lines;
}

} // namespace

QList<qint64> spreadProportionally(qint64 amount, const QList<qint64> &weights)
{
    QList<qint64> parts(weights.size(), 0);
    const qint64 total = std::accumulate(weights.cbegin(), weights.cend(), qint64(0));
    if (total <= 0 || amount <= 0)
        return parts;
    amount = std::min(amount, total);
    QList<QPair<qint64, qsizetype>> remainders; // (remainder, index): the largest get the leftover grosze
    qint64 given = 0;
    for (qsizetype i = 0; i < weights.size(); ++i) {
        const qint64 w = std::max<qint64>(weights.at(i), 0);
        parts[i] = amount * w / total;
        given += parts[i];
        remainders.append({amount * w % total, i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (qsizetype k = 0; given < amount && k < remainders.size(); ++k) {
        const qsizetype i = remainders.at(k).second;
        if (parts[i] < weights.at(i)) {
            ++parts[i];
            ++given;
        }
    }
    return parts;
}

Result<Document> buildFromOrder(const domain::Order &order, const Party &seller, const DocumentSettings &settings,
                                const BuildOptions &options)
{
    if (auto r = SettingsStore::checkCompany(seller); !r)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::documents", "The company data is not complete: %1 Set it with \"company set\".")
                             .arg(r.error().userMessage));
    if (order.items.isEmpty())
        return refused(QCoreApplication::translate("sd::documents", "The order has no items to invoice."));
    auto buyer = buyerOf(order);
    if (!buyer)
        return buyer.error();

    Document doc;
    doc.orderId = order.id;
    doc.orderReference = order.externalId;
    doc.seller = seller;
    doc.buyer = *buyer;
    doc.currency = order.currency().isEmpty() ? u"PLN"_s : order.currency();
    doc.issueDate = options.issueDate.isValid() ? options.issueDate : QDate::currentDate();
    doc.saleDate = order.createdAt.isValid() ? order.createdAt.toLocalTime().date() : doc.issueDate;
    doc.placeOfIssue = settings.placeOfIssue.isEmpty() ? seller.city : settings.placeOfIssue;
    doc.language = doc.buyer.isDomestic() ? u"pl"_s : u"en"_s;
    doc.paymentMethod = paymentMethodOf(order.payment);
    doc.paid =
        order.payment.status == domain::PaymentStatus::Paid || order.payment.status == domain::PaymentStatus::Overpaid;
    if (doc.paid)
        doc.paidDate =
            order.payment.finishedAt.isValid() ? order.payment.finishedAt.toLocalTime().date() : doc.issueDate;
    else
        doc.dueDate = doc.issueDate.addDays(settings.paymentDays);

    // Which document.
    if (options.type) {
        doc.type = *options.type;
    } else if (doc.buyer.hasTaxId()) {
        doc.type = DocumentType::Vat;
    } else if (settings.invoicePrivatePersons) {
        doc.type = DocumentType::Private;
    } else {
        return refused(QCoreApplication::translate(
            "sd::documents",
            "The buyer gave no NIP, so the order gets a receipt, not a VAT invoice (invoices to private persons are "
            "off in the document settings)."));
    }
    if (doc.type == DocumentType::Correction)
        return refused(
            QCoreApplication::translate("sd::documents", "A correction is made from an invoice, not an order."));
    if (doc.type == DocumentType::Vat && !doc.buyer.hasTaxId())
        return refused(QCoreApplication::translate(
            "sd::documents", "A VAT invoice needs the buyer's NIP; this buyer gave none (issue a receipt or an invoice "
                             "to a private person)."));

    auto lines = linesFor(order, doc.buyer, doc.currency, doc.language, settings);
    if (!lines)
        return lines.error();
    doc.lines = *lines;

    const Money gross = doc.totals().gross;
    if (doc.type == DocumentType::Simplified) {
        if (doc.buyer.nip.isEmpty())
            return refused(QCoreApplication::translate("sd::documents",
                                                       "A receipt-backed simplified invoice needs the buyer's NIP."));
        if (doc.currency != u"PLN" || gross.minor() > 45000)
            return refused(QCoreApplication::translate(
                               "sd::documents", "A simplified invoice may not exceed 450 zł gross; this order is %1.")
                               .arg(gross.toDisplayString()));
    }
    return doc;
}

Result<Totals> orderVatTotals(const domain::Order &order, const DocumentSettings &settings)
{
    auto buyer = buyerOf(order);
    if (!buyer)
        return buyer.error();
    const QString currency = order.currency().isEmpty() ? u"PLN"_s : order.currency();
    auto lines = linesFor(order, *buyer, currency, buyer->isDomestic() ? u"pl"_s : u"en"_s, settings);
    if (!lines)
        return lines.error();
    return computeTotals(*lines, currency);
}

} // namespace sd::documents
