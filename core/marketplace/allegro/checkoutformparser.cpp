#include "marketplace/allegro/checkoutformparser.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace sd::marketplace::allegro {

using namespace sd::domain;

namespace {

// Reads fields of one JSON object and remembers the first problem with its full path.
class Reader
{
public:
    Reader(const QJsonObject &object, QString path, std::optional<Error> *error)
        : m_object(object)
        , m_path(std::move(path))
        , m_error(error)
    {}

    QString at(const QString &key) const { return m_path.isEmpty() ? key : m_path + u'.' + key; }
    bool has(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        return !v.isUndefined() && !v.isNull();
    }

    void fail(const QString &message) const
    {
        if (!m_error->has_value())
            *m_error = makeError(Error::Code::Invalid, message);
    }

    QString string(const QString &key, bool required = false) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
            return {};
        }
        if (!v.isString()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be text").arg(at(key)));
            return {};
        }
        return v.toString();
    }

    bool boolean(const QString &key, bool required = false) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
            return false;
        }
        if (!v.isBool()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be true or false")
                     .arg(at(key)));
            return false;
        }
        return v.toBool();
    }

    int integer(const QString &key, bool required = false) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
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

    Reader object(const QString &key, bool required = false) const
    {
        static const QJsonObject empty;
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
            return Reader(empty, at(key), m_error);
        }
        if (!v.isObject()) {
            fail(
                QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be an object").arg(at(key)));
            return Reader(empty, at(key), m_error);
        }
        return Reader(v.toObject(), at(key), m_error);
    }

    QList<Reader> array(const QString &key, bool required = false) const
    {
        QList<Reader> out;
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
            return out;
        }
        if (!v.isArray()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be a list").arg(at(key)));
            return out;
        }
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = at(key) + u'[' + QString::number(i) + u']';
            if (!array.at(i).isObject()) {
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be an object")
                         .arg(path));
                continue;
            }
            out.append(Reader(array.at(i).toObject(), path, m_error));
        }
        return out;
    }

    // {"amount": "123.45", "currency": "PLN"}
    Money money(const QString &key, bool required = false) const
    {
        if (!has(key)) {
            if (required)
                fail(QCoreApplication::translate("sd::marketplace::allegro", "the required field %1 is missing")
                         .arg(at(key)));
            return {};
        }
        const Reader r = object(key);
        const QString amount = r.string(u"amount"_qs, true);
        const QString currency = r.string(u"currency"_qs, true);
        if (m_error->has_value())
            return {};
        if (!Money::isKnownCurrency(currency)) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 has an unknown currency \"%2\"")
                     .arg(r.at(u"currency"_qs), currency));
            return {};
        }
        auto parsed = Money::parse(amount, currency);
        if (!parsed) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not an amount: %2")
                     .arg(r.at(u"amount"_qs), parsed.error().userMessage));
            return {};
        }
        return *parsed;
    }

    QDateTime time(const QString &key) const
    {
        const QString text = string(key);
        if (text.isEmpty())
            return {};
        QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid()) {
            fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not a date and time: \"%2\"")
                     .arg(at(key), text));
            return {};
        }
        return time.toUTC();
    }

private:
    QJsonObject m_object;
    QString m_path;
    std::optional<Error> *m_error;
};

const QStringList kFormStatuses = {u"BOUGHT"_qs, u"FILLED_IN"_qs, u"READY_FOR_PROCESSING"_qs, u"CANCELLED"_qs};

} // namespace

Result<Order> CheckoutFormParser::parse(const QJsonObject &json) const
{
    std::optional<Error> error;
    const Reader form(json, QString(), &error);
    Order order;

    order.externalId = form.string(u"id"_qs, true);
    order.revision = form.string(u"revision"_qs);
    order.marketplace = form.object(u"marketplace"_qs).string(u"id"_qs);
    if (order.marketplace.isEmpty())
        order.marketplace = QStringLiteral("allegro-pl");
    order.account = m_account;
    order.marketplaceStatus = form.string(u"status"_qs, true);
    if (!error && !kFormStatuses.contains(order.marketplaceStatus))
        form.fail(
            QCoreApplication::translate("sd::marketplace::allegro", "the field status has an unknown value \"%1\"")
                .arg(order.marketplaceStatus));
    order.fulfillmentStatus = form.object(u"fulfillment"_qs).string(u"status"_qs);
    order.buyerComment = form.string(u"messageToSeller"_qs);
    order.notes = form.object(u"note"_qs).string(u"text"_qs);
    order.marketplaceUpdatedAt = form.time(u"updatedAt"_qs);

    const Reader buyer = form.object(u"buyer"_qs, true);
    order.buyer.externalId = buyer.string(u"id"_qs, true);
    order.buyer.email = buyer.string(u"email"_qs, true);
    order.buyer.login = buyer.string(u"login"_qs, true);
    order.buyer.guest = buyer.boolean(u"guest"_qs, true);
    order.buyer.firstName = buyer.string(u"firstName"_qs);
    order.buyer.lastName = buyer.string(u"lastName"_qs);
    order.buyer.companyName = buyer.string(u"companyName"_qs);
    order.buyer.phone = buyer.string(u"phoneNumber"_qs);
    order.buyer.language = buyer.object(u"preferences"_qs).string(u"language"_qs);

    const Reader delivery = form.object(u"delivery"_qs);
    const Reader method = delivery.object(u"method"_qs);
    order.delivery.methodId = method.string(u"id"_qs);
    order.delivery.methodName = method.string(u"name"_qs);
    const Reader address = delivery.object(u"address"_qs);
    order.delivery.address.firstName = address.string(u"firstName"_qs);
    order.delivery.address.lastName = address.string(u"lastName"_qs);
    order.delivery.address.companyName = address.string(u"companyName"_qs);
    order.delivery.address.street = address.string(u"street"_qs);
    order.delivery.address.city = address.string(u"city"_qs);
    order.delivery.address.postCode = address.string(u"zipCode"_qs);
    order.delivery.address.countryCode = address.string(u"countryCode"_qs);
    order.delivery.address.phone = address.string(u"phoneNumber"_qs);
    const Reader pickup = delivery.object(u"pickupPoint"_qs);
    order.delivery.pickupPoint.id = pickup.string(u"id"_qs);
    order.delivery.pickupPoint.name = pickup.string(u"name"_qs);
    order.delivery.pickupPoint.description = pickup.string(u"description"_qs);
    const Reader pickupAddress = pickup.object(u"address"_qs);
    order.delivery.pickupPoint.address.street = pickupAddress.string(u"street"_qs);
    order.delivery.pickupPoint.address.postCode = pickupAddress.string(u"zipCode"_qs);
    order.delivery.pickupPoint.address.city = pickupAddress.string(u"city"_qs);
    order.delivery.pickupPoint.address.countryCode = pickupAddress.string(u"countryCode"_qs);
    order.delivery.cost = delivery.money(u"cost"_qs);

    const Reader payment = form.object(u"payment"_qs);
    order.payment.externalId = payment.string(u"id"_qs);
    order.payment.method = payment.string(u"type"_qs);
    order.payment.provider = payment.string(u"provider"_qs);
    order.payment.finishedAt = payment.time(u"finishedAt"_qs);
    order.payment.paidAmount = payment.money(u"paidAmount"_qs);

    const Reader invoice = form.object(u"invoice"_qs);
    order.invoice.wanted = invoice.boolean(u"required"_qs, form.has(u"invoice"_qs));
    const Reader invoiceAddress = invoice.object(u"address"_qs);
    order.invoice.address.street = invoiceAddress.string(u"street"_qs);
    order.invoice.address.city = invoiceAddress.string(u"city"_qs);
    order.invoice.address.postCode = invoiceAddress.string(u"zipCode"_qs);
    order.invoice.address.countryCode = invoiceAddress.string(u"countryCode"_qs);
    const Reader company = invoiceAddress.object(u"company"_qs);
    order.invoice.companyName = company.string(u"name"_qs);
    order.invoice.address.companyName = order.invoice.companyName;
    order.invoice.vatPayerStatus = company.string(u"vatPayerStatus"_qs);
    QString otherTaxId;
    for (const Reader &id : company.array(u"ids"_qs)) {
        const QString type = id.string(u"type"_qs, true);
        const QString value = id.string(u"value"_qs, true);
        if (type == u"PL_NIP")
            order.invoice.nip = value;
        else if (otherTaxId.isEmpty())
            otherTaxId = value;
    }
    if (order.invoice.nip.isEmpty())
        order.invoice.nip = company.string(u"taxId"_qs); // deprecated place of the NIP
    if (order.invoice.nip.isEmpty())
        order.invoice.nip = otherTaxId;
    const Reader person = invoiceAddress.object(u"naturalPerson"_qs);
    order.invoice.address.firstName = person.string(u"firstName"_qs);
    order.invoice.address.lastName = person.string(u"lastName"_qs);
    order.buyer.nip = order.invoice.nip;
    if (order.buyer.companyName.isEmpty())
        order.buyer.companyName = order.invoice.companyName;

    const QList<Reader> lineItems = form.array(u"lineItems"_qs, true);
    if (!error && lineItems.isEmpty())
        form.fail(QCoreApplication::translate("sd::marketplace::allegro",
                                              "the order has no line items (lineItems is empty)"));
    QDateTime firstBought;
    for (const Reader &line : lineItems) {
        LineItem item;
        item.externalId = line.string(u"id"_qs, true);
        const Reader offer = line.object(u"offer"_qs, true);
        item.offerId = offer.string(u"id"_qs, true);
        item.name = offer.string(u"name"_qs, true);
        item.sku = offer.object(u"external"_qs).string(u"id"_qs);
        item.quantity = line.integer(u"quantity"_qs, true);
        if (!error && item.quantity < 1)
            line.fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 must be at least 1")
                          .arg(line.at(u"quantity"_qs)));
        item.unitPrice = line.money(u"price"_qs, true);
        item.originalPrice = line.money(u"originalPrice"_qs, true);
        const Reader tax = line.object(u"tax"_qs);
        QString rate = tax.string(u"rate"_qs);
        if (rate.endsWith(u".00"))
            rate.chop(3);
        if (!tax.string(u"exemption"_qs).isEmpty())
            item.vatRate = VatRate::exempt();
        else if (!rate.isEmpty()) {
            auto parsed = VatRate::parse(rate);
            if (!parsed)
                line.fail(QCoreApplication::translate("sd::marketplace::allegro", "the field %1 is not a VAT rate: %2")
                              .arg(tax.at(u"rate"_qs), parsed.error().userMessage));
            else
                item.vatRate = *parsed;
        }
        const QDateTime bought = line.time(u"boughtAt"_qs);
        if (bought.isValid() && (!firstBought.isValid() || bought < firstBought))
            firstBought = bought;
        for (const Reader &service : line.array(u"selectedAdditionalServices"_qs)) {
            const Money price = service.money(u"price"_qs);
            const int quantity = service.has(u"quantity"_qs) ? service.integer(u"quantity"_qs) : 1;
            if (!price.isNull())
                order.adjustments.append({u"service"_qs, service.string(u"name"_qs), price * quantity});
        }
        order.items.append(item);
    }
    // A surcharge is a later, separate payment towards the same total (e.g. a dearer parcel): it counts as paid.
    Money surchargesPaid;
    for (const Reader &surcharge : form.array(u"surcharges"_qs, true)) {
        const Money paid = surcharge.money(u"paidAmount"_qs);
        if (!paid.isNull() && !surcharge.time(u"finishedAt"_qs).isNull())
            surchargesPaid += paid;
    }
    order.total = form.object(u"summary"_qs, true).money(u"totalToPay"_qs, true);

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

} // namespace sd::marketplace::allegro
