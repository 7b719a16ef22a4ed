#include "marketplace/allegro/checkoutformparser.h"

#include "util/isotime.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace sd::marketplace::allegro {

using namespace sd::domain;
using namespace Qt::StringLiterals;

namespace {

using Key = QLatin1StringView;

// Reads fields of one JSON object and remembers the first problem with its full path. The path is put
// together only for a message: a form has some fifteen objects, and most forms have no problem at all.
// Object is a QJsonObject or a util::JsonRef (the import's own reader), which answer the same questions.
template<typename Object>
class Reader
{
public:
    Reader(const Object &object, std::optional<Error> *error)
        : m_object(object)
        , m_error(error)
    {}

    QString at(Key key) const
    {
        const QString here = path();
        return here.isEmpty() ? QString(key) : here + u'.' + key;
    }
    bool has(Key key) const
    {
        const auto v = m_object.value(key);
        return !v.isUndefined() && !v.isNull();
    }

    void fail(const QString &message) const
    {
        if (!m_error->has_value())
            *m_error = makeError(Error::Code::Invalid, message);
    }

    QString string(Key key, bool required = false) const
    {
        const auto v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                missing(key);
            return {};
        }
        if (!v.isString()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be text").arg(at(key)));
            return {};
        }
        return v.toString();
    }

    bool boolean(Key key, bool required = false) const
    {
        const auto v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                missing(key);
            return false;
        }
        if (!v.isBool()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be true or false")
                     .arg(at(key)));
            return false;
        }
        return v.toBool();
    }

    int integer(Key key, bool required = false) const
    {
        const auto v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                missing(key);
            return 0;
        }
        const double d = v.toDouble();
        if (!v.isDouble() || d != double(qint64(d)) || d < 0 || d > 1e6) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be a whole number")
                     .arg(at(key)));
            return 0;
        }
        return int(d);
    }

    Reader object(Key key, bool required = false) const
    {
        static const Object empty;
        const auto v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                missing(key);
            return Reader(empty, this, key, -1);
        }
        if (!v.isObject()) {
            fail(
                QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be an object").arg(at(key)));
            return Reader(empty, this, key, -1);
        }
        return Reader(v.toObject(), this, key, -1);
    }

    QList<Reader> array(Key key, bool required = false) const
    {
        QList<Reader> out;
        const auto v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                missing(key);
            return out;
        }
        if (!v.isArray()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be a list").arg(at(key)));
            return out;
        }
        const auto array = v.toArray();
        out.reserve(array.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            const auto element = array.at(i);
            if (!element.isObject()) {
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be an object")
                         .arg(at(key) + u'[' + QString::number(i) + u']'));
                continue;
            }
            out.append(Reader(element.toObject(), this, key, i));
        }
        return out;
    }

    // {"amount": "123.45", "currency": "PLN"}
    Money money(Key key, bool required = false) const
    {
        if (!has(key)) {
            if (required)
                missing(key);
            return {};
        }
        const Reader r = object(key);
        const QString amount = r.string("amount"_L1, true);
        const QString currency = r.string("currency"_L1, true);
        if (m_error->has_value())
            return {};
        if (!Money::isKnownCurrency(currency)) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 has an unknown currency \"%2\"")
                     .arg(r.at("currency"_L1), currency));
            return {};
        }
        auto parsed = Money::parse(amount, currency);
        if (!parsed) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not an amount: %2")
                     .arg(r.at("amount"_L1), parsed.error().userMessage));
            return {};
        }
        return *parsed;
    }

    QDateTime time(Key key) const
    {
        const QString text = string(key);
        if (text.isEmpty())
            return {};
        QDateTime time = util::parseIsoTime(text);
        if (!time.isValid()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not a date and time: \"%2\"")
                     .arg(at(key), text));
            return {};
        }
        return time;
    }

private:
    // A nested object: the key it is under in parent and, in a list, its position.
    Reader(const Object &object, const Reader *parent, Key key, qsizetype index)
        : m_object(object)
        , m_error(parent->m_error)
        , m_parent(parent)
        , m_key(key)
        , m_index(index)
    {}

    QString path() const
    {
        if (!m_parent)
            return {};
        QString here = m_parent->at(m_key);
        if (m_index >= 0)
            here += u'[' + QString::number(m_index) + u']';
        return here;
    }

    void missing(Key key) const
    {
        fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing").arg(at(key)));
    }

    Object m_object;
    std::optional<Error> *m_error;
    const Reader *m_parent = nullptr;
    Key m_key;
    qsizetype m_index = -1;
};

const QStringList kFormStatuses = {u"BOUGHT"_qs, u"FILLED_IN"_qs, u"READY_FOR_PROCESSING"_qs, u"CANCELLED"_qs};

template<typename Object>
Result<Order> parseForm(const Object &json, const QString &account)
{
    using FormReader = Reader<Object>;
    std::optional<Error> error;
    const FormReader form(json, &error);
    Order order;

    order.externalId = form.string("id"_L1, true);
    order.revision = form.string("revision"_L1);
    order.marketplace = form.object("marketplace"_L1).string("id"_L1);
    if (order.marketplace.isEmpty())
        order.marketplace = QStringLiteral("allegro-pl");
    order.account = account;
    order.marketplaceStatus = form.string("status"_L1, true);
    if (!error && !kFormStatuses.contains(order.marketplaceStatus))
        form.fail(
            QCoreApplication::translate("sd::marketplace::allegro", "the field status has an unknown value \"%1\"")
                .arg(order.marketplaceStatus));
    order.fulfillmentStatus = form.object("fulfillment"_L1).string("status"_L1);
    order.buyerComment = form.string("messageToSeller"_L1);
    order.notes = form.object("note"_L1).string("text"_L1);
    order.marketplaceUpdatedAt = form.time("updatedAt"_L1);

    const FormReader buyer = form.object("buyer"_L1, true);
    order.buyer.externalId = buyer.string("id"_L1, true);
    order.buyer.email = buyer.string("email"_L1, true);
    order.buyer.login = buyer.string("login"_L1, true);
    order.buyer.guest = buyer.boolean("guest"_L1, true);
    order.buyer.firstName = buyer.string("firstName"_L1);
    order.buyer.lastName = buyer.string("lastName"_L1);
    order.buyer.companyName = buyer.string("companyName"_L1);
    order.buyer.phone = buyer.string("phoneNumber"_L1);
    order.buyer.language = buyer.object("preferences"_L1).string("language"_L1);

    const FormReader delivery = form.object("delivery"_L1);
    const FormReader method = delivery.object("method"_L1);
    order.delivery.methodId = method.string("id"_L1);
    order.delivery.methodName = method.string("name"_L1);
    const FormReader address = delivery.object("address"_L1);
    order.delivery.address.firstName = address.string("firstName"_L1);
    order.delivery.address.lastName = address.string("lastName"_L1);
    order.delivery.address.companyName = address.string("companyName"_L1);
    order.delivery.address.street = address.string("street"_L1);
    order.delivery.address.city = address.string("city"_L1);
    order.delivery.address.postCode = address.string("zipCode"_L1);
    order.delivery.address.countryCode = address.string("countryCode"_L1);
    order.delivery.address.phone = address.string("phoneNumber"_L1);
    const FormReader pickup = delivery.object("pickupPoint"_L1);
    order.delivery.pickupPoint.id = pickup.string("id"_L1);
    order.delivery.pickupPoint.name = pickup.string("name"_L1);
    order.delivery.pickupPoint.description = pickup.string("description"_L1);
    const FormReader pickupAddress = pickup.object("address"_L1);
    order.delivery.pickupPoint.address.street = pickupAddress.string("street"_L1);
    order.delivery.pickupPoint.address.postCode = pickupAddress.string("zipCode"_L1);
    order.delivery.pickupPoint.address.city = pickupAddress.string("city"_L1);
    order.delivery.pickupPoint.address.countryCode = pickupAddress.string("countryCode"_L1);
    order.delivery.cost = delivery.money("cost"_L1);

    const FormReader payment = form.object("payment"_L1);
    order.payment.externalId = payment.string("id"_L1);
    order.payment.method = payment.string("type"_L1);
    order.payment.provider = payment.string("provider"_L1);
    order.payment.finishedAt = payment.time("finishedAt"_L1);
    order.payment.paidAmount = payment.money("paidAmount"_L1);

    const FormReader invoice = form.object("invoice"_L1);
    order.invoice.wanted = invoice.boolean("required"_L1, form.has("invoice"_L1));
    const FormReader invoiceAddress = invoice.object("address"_L1);
    order.invoice.address.street = invoiceAddress.string("street"_L1);
    order.invoice.address.city = invoiceAddress.string("city"_L1);
    order.invoice.address.postCode = invoiceAddress.string("zipCode"_L1);
    order.invoice.address.countryCode = invoiceAddress.string("countryCode"_L1);
    const FormReader company = invoiceAddress.object("company"_L1);
    order.invoice.companyName = company.string("name"_L1);
    order.invoice.address.companyName = order.invoice.companyName;
    order.invoice.vatPayerStatus = company.string("vatPayerStatus"_L1);
    QString otherTaxId;
    for (const FormReader &id : company.array("ids"_L1)) {
        const QString type = id.string("type"_L1, true);
        const QString value = id.string("value"_L1, true);
        if (type == u"PL_NIP")
            order.invoice.nip = value;
        else if (otherTaxId.isEmpty())
            otherTaxId = value;
    }
    if (order.invoice.nip.isEmpty())
        order.invoice.nip = company.string("taxId"_L1); // deprecated place of the NIP
    if (order.invoice.nip.isEmpty())
        order.invoice.nip = otherTaxId;
    const FormReader person = invoiceAddress.object("naturalPerson"_L1);
    order.invoice.address.firstName = person.string("firstName"_L1);
    order.invoice.address.lastName = person.string("lastName"_L1);
    order.buyer.nip = order.invoice.nip;
    if (order.buyer.companyName.isEmpty())
        order.buyer.companyName = order.invoice.companyName;

    const QList<FormReader> lineItems = form.array("lineItems"_L1, true);
    if (!error && lineItems.isEmpty())
        form.fail(QCoreApplication::translate("sd::marketplace::allegro",
                                              "the order has no line items (lineItems is empty)"));
    QDateTime firstBought;
    for (const FormReader &line : lineItems) {
        LineItem item;
        item.externalId = line.string("id"_L1, true);
        const FormReader offer = line.object("offer"_L1, true);
        item.offerId = offer.string("id"_L1, true);
        item.name = offer.string("name"_L1, true);
        item.sku = offer.object("external"_L1).string("id"_L1);
        item.quantity = line.integer("quantity"_L1, true);
        if (!error && item.quantity < 1)
            line.fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be at least 1")
                          .arg(line.at("quantity"_L1)));
        item.unitPrice = line.money("price"_L1, true);
        item.originalPrice = line.money("originalPrice"_L1, true);
        const FormReader tax = line.object("tax"_L1);
        QString rate = tax.string("rate"_L1);
        if (rate.endsWith(u".00"))
            rate.chop(3);
        if (!tax.string("exemption"_L1).isEmpty())
            item.vatRate = VatRate::exempt();
        else if (!rate.isEmpty()) {
            auto parsed = VatRate::parse(rate);
            if (!parsed)
                line.fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not a VAT rate: %2")
                              .arg(tax.at("rate"_L1), parsed.error().userMessage));
            else
                item.vatRate = *parsed;
        }
        const QDateTime bought = line.time("boughtAt"_L1);
        if (bought.isValid() && (!firstBought.isValid() || bought < firstBought))
            firstBought = bought;
        for (const FormReader &service : line.array("selectedAdditionalServices"_L1)) {
            const Money price = service.money("price"_L1);
            const int quantity = service.has("quantity"_L1) ? service.integer("quantity"_L1) : 1;
            if (!price.isNull())
                order.adjustments.append({u"service"_qs, service.string("name"_L1), price * quantity});
        }
        order.items.append(std::move(item));
    }
    // A surcharge is a later, separate payment towards the same total (e.g. a dearer parcel): it counts as paid.
    Money surchargesPaid;
    for (const FormReader &surcharge : form.array("surcharges"_L1, true)) {
        const Money paid = surcharge.money("paidAmount"_L1);
        if (!paid.isNull() && !surcharge.time("finishedAt"_L1).isNull())
            surchargesPaid += paid;
    }
    order.total = form.object("summary"_L1, true).money("totalToPay"_L1, true);

    if (error) {
        const QString id = order.externalId.isEmpty()
                               ? QCoreApplication::translate("sd::marketplace::allegro", "(no id)")
                               : order.externalId;
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::marketplace::allegro", "Order %1: %2").arg(id, error->userMessage));
    }

    order.createdAt = firstBought.isValid() ? firstBought : order.marketplaceUpdatedAt;
    if (!surchargesPaid.isNull())
        order.payment.paidAmount = order.payment.paidAmount + surchargesPaid;
    const Money paid = order.payment.paidAmount;
    if (paid.isNull() || paid.isZero() || !order.payment.finishedAt.isValid())
        order.payment.status = PaymentStatus::Unpaid;
    else if (paid.minor() < order.total.minor())
        order.payment.status = PaymentStatus::PartiallyPaid;
    else if (paid.minor() > order.total.minor())
        order.payment.status = PaymentStatus::Overpaid;
    else
        order.payment.status = PaymentStatus::Paid;

    if (auto r = order.validate(); !r)
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::marketplace::allegro", "Order %1: %2")
                                                   .arg(order.externalId, r.error().userMessage));
    return order;
}

} // namespace

Result<Order> CheckoutFormParser::parse(const QJsonObject &form) const
{
    return parseForm(form, m_account);
}

Result<Order> CheckoutFormParser::parse(const util::JsonRef &form) const
{
    return parseForm(form, m_account);
}

} // namespace sd::marketplace::allegro
