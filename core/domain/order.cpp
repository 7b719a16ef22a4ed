#include "domain/order.h"

#include "util/isotime.h"
#include "util/jsontext.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <charconv>

namespace sd::domain {

QStringList paymentMethodKeys()
{
    using namespace PaymentMethodKey;
    QStringList keys;
    for (const char *key : {kOnline, kCashOnDelivery, kTransfer, kSplitPayment, kExtendedTerm, kCash, kCompanyPurchase})
        keys.append(QString::fromLatin1(key));
    return keys;
}

namespace {

QString isoTime(const QDateTime &time)
{
    return util::isoTimeText(time);
}

QDateTime parseTime(const QJsonValue &value)
{
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    return util::parseIsoTime(text);
}

// "123.45" as Money::toDecimalString writes it, without the QString.
void appendDecimal(QByteArray &out, const Money &money)
{
    const int digits = Money::minorDigits(money.currency());
    const qint64 minor = money.minor();
    quint64 magnitude = minor < 0 ? 0 - quint64(minor) : quint64(minor);
    char buffer[32];
    char *p = buffer + sizeof buffer;
    for (int i = 0; magnitude || i <= digits; ++i) {
        if (i == digits && digits > 0)
            *--p = '.';
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    }
    if (minor < 0)
        *--p = '-';
    out.append(p, buffer + sizeof buffer - p);
}

QString moneyText(const Money &money)
{
    return money.isNull() ? QString() : money.toDecimalString() + u' ' + money.currency();
}

QJsonValue moneyJson(const Money &money)
{
    if (money.isNull())
        return QJsonValue::Null;
    return QJsonObject{{u"amount"_qs, money.toDecimalString()}, {u"currency"_qs, money.currency()}};
}

// Reads {"amount":"1.23","currency":"PLN"}; null or absent is a null Money, anything malformed an error.
Result<Money> moneyFromJson(const QJsonValue &value, const QString &field)
{
    if (value.isNull() || value.isUndefined())
        return Money();
    const QJsonObject object = value.toObject();
    if (!value.isObject() || !object.value(u"amount").isString() || !object.value(u"currency").isString())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::domain::Order", "%1 is not an amount with a currency").arg(field));
    const QString currency = object.value(u"currency").toString();
    if (!Money::isKnownCurrency(currency))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::domain::Order", "%1 has an unknown currency %2").arg(field, currency));
    return Money::parse(object.value(u"amount").toString(), currency);
}

QJsonObject addressJson(const Address &a)
{
    return {{u"firstName"_qs, a.firstName},     {u"lastName"_qs, a.lastName}, {u"companyName"_qs, a.companyName},
            {u"street"_qs, a.street},           {u"city"_qs, a.city},         {u"postCode"_qs, a.postCode},
            {u"countryCode"_qs, a.countryCode}, {u"phone"_qs, a.phone}};
}

Address addressFromJson(const QJsonObject &o)
{
    Address a;
    a.firstName = o.value(u"firstName").toString();
    a.lastName = o.value(u"lastName").toString();
    a.companyName = o.value(u"companyName").toString();
    a.street = o.value(u"street").toString();
    a.city = o.value(u"city").toString();
    a.postCode = o.value(u"postCode").toString();
    a.countryCode = o.value(u"countryCode").toString();
    a.phone = o.value(u"phone").toString();
    return a;
}

void addAddressFields(QList<QPair<QString, QString>> &out, const QString &prefix, const Address &a)
{
    out.append({prefix + u".firstName", a.firstName});
    out.append({prefix + u".lastName", a.lastName});
    out.append({prefix + u".companyName", a.companyName});
    out.append({prefix + u".street", a.street});
    out.append({prefix + u".city", a.city});
    out.append({prefix + u".postCode", a.postCode});
    out.append({prefix + u".countryCode", a.countryCode});
    out.append({prefix + u".phone", a.phone});
}

QString boolText(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

// A minimal JSON writer for toCompactJson: objects, strings, numbers, booleans; empty values are skipped.
class CompactWriter
{
public:
    explicit CompactWriter(QByteArray &out)
        : m_out(out)
    {}

    void begin(const char *key = nullptr)
    {
        if (key)
            name(key);
        else
            comma();
        m_out += '{';
        m_first = true;
    }
    void end()
    {
        // An object with nothing in it is still written: "{}".
        m_out += '}';
        m_first = false;
    }
    void beginArray(const char *key)
    {
        name(key);
        m_out += '[';
        m_first = true;
    }
    void endArray()
    {
        m_out += ']';
        m_first = false;
    }
    void string(const char *key, const QString &value)
    {
        if (value.isEmpty())
            return;
        name(key);
        quoted(value);
    }
    void arrayString(const QString &value)
    {
        comma();
        quoted(value);
    }
    void number(const char *key, qint64 value)
    {
        name(key);
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        m_out.append(digits, end - digits);
        m_first = false;
    }
    void boolean(const char *key, bool value)
    {
        if (!value)
            return;
        name(key);
        m_out += "true";
        m_first = false;
    }
    void money(const char *key, const Money &value)
    {
        if (value.isNull())
            return;
        begin(key);
        name("amount");
        m_out += '"';
        appendDecimal(m_out, value);
        m_out += '"';
        m_first = false;
        string("currency", value.currency());
        end();
    }
    void time(const char *key, const QDateTime &value)
    {
        if (!value.isValid())
            return;
        name(key);
        m_out += '"';
        util::appendIsoTime(m_out, value.toMSecsSinceEpoch());
        m_out += '"';
        m_first = false;
    }
    void address(const char *key, const Address &a)
    {
        if (a.isEmpty())
            return;
        begin(key);
        string("firstName", a.firstName);
        string("lastName", a.lastName);
        string("companyName", a.companyName);
        string("street", a.street);
        string("city", a.city);
        string("postCode", a.postCode);
        string("countryCode", a.countryCode);
        string("phone", a.phone);
        end();
    }

private:
    void comma()
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
    }
    void name(const char *key)
    {
        comma();
        m_out += '"';
        m_out += key;
        m_out += "\":";
        m_first = true; // the value follows without a comma
    }
    void quoted(const QString &value)
    {
        util::appendJsonString(m_out, value);
        m_first = false;
    }

    QByteArray &m_out;
    bool m_first = true;
};

} // namespace

QString paymentStatusKey(PaymentStatus status)
{
    switch (status) {
    case PaymentStatus::Unpaid:
        return QStringLiteral("unpaid");
    case PaymentStatus::Paid:
        return QStringLiteral("paid");
    case PaymentStatus::PartiallyPaid:
        return QStringLiteral("partially-paid");
    case PaymentStatus::Overpaid:
        return QStringLiteral("overpaid");
    case PaymentStatus::Refunded:
        return QStringLiteral("refunded");
    }
    return {};
}

std::optional<PaymentStatus> paymentStatusFromKey(QStringView key)
{
    for (auto status : {PaymentStatus::Unpaid, PaymentStatus::Paid, PaymentStatus::PartiallyPaid,
                        PaymentStatus::Overpaid, PaymentStatus::Refunded}) {
        if (paymentStatusKey(status) == key)
            return status;
    }
    return std::nullopt;
}

QString Buyer::displayName() const
{
    QString name = QString(firstName + u' ' + lastName).trimmed();
    if (!companyName.isEmpty())
        name = name.isEmpty() ? companyName : companyName + u" (" + name + u')';
    return name.isEmpty() ? login : name;
}

Money Order::itemsTotal() const
{
    Money sum(0, total.currency());
    for (const LineItem &item : items)
        sum += item.total();
    return sum;
}

Money Order::computedTotal() const
{
    Money sum = itemsTotal();
    if (!delivery.cost.isNull())
        sum += delivery.cost;
    for (const Adjustment &adjustment : adjustments)
        sum += adjustment.amount;
    return sum;
}

int Order::itemCount() const
{
    int count = 0;
    for (const LineItem &item : items)
        count += item.quantity;
    return count;
}

bool Order::isShipped() const
{
    return !shipments.isEmpty() || fulfillmentStatus == u"SENT" || fulfillmentStatus == u"PICKED_UP" ||
           fulfillmentStatus == u"READY_FOR_PICKUP";
}

Result<void> Order::validate() const
{
    if (marketplace.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::domain::Order", "The order has no sales channel"));
    if (items.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::domain::Order", "The order has no line items"));
    if (total.isNull())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::domain::Order", "The order has no total amount"));
    if (referrers.size() > kMaxReferrers)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::domain::Order", "An order can have at most %1 referrers, this one has %2")
                .arg(kMaxReferrers)
                .arg(referrers.size()));
    const QString currency = total.currency();
    auto sameCurrency = [&](const Money &money) { return money.isNull() || money.currency() == currency; };
    for (qsizetype i = 0; i < items.size(); ++i) {
        const LineItem &item = items.at(i);
        if (item.name.trimmed().isEmpty())
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::domain::Order", "Line item %1 has no name").arg(i + 1));
        if (item.quantity < 1)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::domain::Order",
                                                         "Line item %1 (%2) has quantity %3; it must be at least 1")
                                 .arg(i + 1)
                                 .arg(item.name)
                                 .arg(item.quantity));
        if (item.unitPrice.isNull() || !sameCurrency(item.unitPrice) || !sameCurrency(item.originalPrice))
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::domain::Order",
                                                         "Line item %1 (%2) is not priced in the order's currency %3")
                                 .arg(i + 1)
                                 .arg(item.name, currency));
    }
    if (!sameCurrency(delivery.cost) || !sameCurrency(payment.paidAmount))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::domain::Order", "The delivery cost or paid amount is not in the order's currency %1")
                             .arg(currency));
    for (const Adjustment &adjustment : adjustments) {
        if (!sameCurrency(adjustment.amount))
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::domain::Order",
                                                         "A surcharge or discount is not in the order's currency %1")
                                 .arg(currency));
    }
    return {};
}

QList<QPair<QString, QString>> Order::fields() const
{
    QList<QPair<QString, QString>> out;
    out.reserve(64 + items.size() * 9);
    out.append({u"marketplace"_qs, marketplace});
    out.append({u"account"_qs, account});
    out.append({u"externalId"_qs, externalId});
    out.append({u"revision"_qs, revision});
    out.append({u"marketplaceStatus"_qs, marketplaceStatus});
    out.append({u"fulfillmentStatus"_qs, fulfillmentStatus});
    out.append({u"status"_qs, status});
    out.append({u"buyer.externalId"_qs, buyer.externalId});
    out.append({u"buyer.login"_qs, buyer.login});
    out.append({u"buyer.email"_qs, buyer.email});
    out.append({u"buyer.firstName"_qs, buyer.firstName});
    out.append({u"buyer.lastName"_qs, buyer.lastName});
    out.append({u"buyer.companyName"_qs, buyer.companyName});
    out.append({u"buyer.nip"_qs, buyer.nip});
    out.append({u"buyer.phone"_qs, buyer.phone});
    out.append({u"buyer.guest"_qs, boolText(buyer.guest)});
    out.append({u"buyer.language"_qs, buyer.language});
    out.append({u"delivery.methodId"_qs, delivery.methodId});
    out.append({u"delivery.methodName"_qs, delivery.methodName});
    addAddressFields(out, u"delivery.address"_qs, delivery.address);
    out.append({u"delivery.pickupPoint.id"_qs, delivery.pickupPoint.id});
    out.append({u"delivery.pickupPoint.name"_qs, delivery.pickupPoint.name});
    out.append({u"delivery.pickupPoint.description"_qs, delivery.pickupPoint.description});
    addAddressFields(out, u"delivery.pickupPoint.address"_qs, delivery.pickupPoint.address);
    out.append({u"delivery.cost"_qs, moneyText(delivery.cost)});
    out.append({u"payment.method"_qs, payment.method});
    out.append({u"payment.provider"_qs, payment.provider});
    out.append({u"payment.externalId"_qs, payment.externalId});
    out.append({u"payment.status"_qs, paymentStatusKey(payment.status)});
    out.append({u"payment.paidAmount"_qs, moneyText(payment.paidAmount)});
    out.append({u"payment.finishedAt"_qs, isoTime(payment.finishedAt)});
    out.append({u"invoice.wanted"_qs, boolText(invoice.wanted)});
    out.append({u"invoice.companyName"_qs, invoice.companyName});
    out.append({u"invoice.nip"_qs, invoice.nip});
    out.append({u"invoice.vatPayerStatus"_qs, invoice.vatPayerStatus});
    addAddressFields(out, u"invoice.address"_qs, invoice.address);
    out.append({u"items.count"_qs, QString::number(items.size())});
    for (qsizetype i = 0; i < items.size(); ++i) {
        const LineItem &item = items.at(i);
        const QString p = u"items[" + QString::number(i) + u"].";
        out.append({p + u"externalId", item.externalId});
        out.append({p + u"offerId", item.offerId});
        out.append({p + u"name", item.name});
        out.append({p + u"sku", item.sku});
        out.append({p + u"ean", item.ean});
        out.append({p + u"quantity", QString::number(item.quantity)});
        out.append({p + u"unitPrice", moneyText(item.unitPrice)});
        out.append({p + u"originalPrice", moneyText(item.originalPrice)});
        out.append({p + u"vatRate", item.vatRate.isValid() ? item.vatRate.code() : QString()});
    }
    out.append({u"adjustments.count"_qs, QString::number(adjustments.size())});
    for (qsizetype i = 0; i < adjustments.size(); ++i) {
        const Adjustment &adjustment = adjustments.at(i);
        const QString p = u"adjustments[" + QString::number(i) + u"].";
        out.append({p + u"kind", adjustment.kind});
        out.append({p + u"description", adjustment.description});
        out.append({p + u"amount", moneyText(adjustment.amount)});
    }
    for (qsizetype i = 0; i < shipments.size(); ++i) {
        const Shipment &shipment = shipments.at(i);
        const QString p = u"shipments[" + QString::number(i) + u"].";
        out.append({p + u"carrierId", shipment.carrierId});
        out.append({p + u"waybill", shipment.waybill});
        out.append({p + u"status", shipment.status});
        if (!shipment.labelBarcode.isEmpty())
            out.append({p + u"labelBarcode", shipment.labelBarcode});
    }
    out.append({u"total"_qs, moneyText(total)});
    out.append({u"buyerComment"_qs, buyerComment});
    out.append({u"notes"_qs, notes});
    out.append({u"referrers"_qs, referrers.join(u", ")});
    out.append({u"tags"_qs, tags.join(u", ")});
    out.append({u"createdAt"_qs, isoTime(createdAt)});
    out.append({u"marketplaceUpdatedAt"_qs, isoTime(marketplaceUpdatedAt)});
    return out;
}

QJsonObject Order::toJson() const
{
    QJsonArray itemArray;
    for (const LineItem &item : items) {
        itemArray.append(QJsonObject{
            {u"externalId"_qs, item.externalId},
            {u"offerId"_qs, item.offerId},
            {u"name"_qs, item.name},
            {u"sku"_qs, item.sku},
            {u"ean"_qs, item.ean},
            {u"quantity"_qs, item.quantity},
            {u"unitPrice"_qs, moneyJson(item.unitPrice)},
            {u"originalPrice"_qs, moneyJson(item.originalPrice)},
            {u"vatRate"_qs, item.vatRate.isValid() ? QJsonValue(item.vatRate.code()) : QJsonValue(QJsonValue::Null)}});
    }
    QJsonArray shipmentArray;
    for (const Shipment &shipment : shipments) {
        QJsonObject o{
            {u"carrierId"_qs, shipment.carrierId}, {u"waybill"_qs, shipment.waybill}, {u"status"_qs, shipment.status}};
        if (!shipment.labelBarcode.isEmpty())
            o.insert(u"labelBarcode"_qs, shipment.labelBarcode);
        shipmentArray.append(o);
    }
    QJsonArray adjustmentArray;
    for (const Adjustment &adjustment : adjustments) {
        adjustmentArray.append(QJsonObject{{u"kind"_qs, adjustment.kind},
                                           {u"description"_qs, adjustment.description},
                                           {u"amount"_qs, moneyJson(adjustment.amount)}});
    }
    QJsonObject pickup{{u"id"_qs, delivery.pickupPoint.id},
                       {u"name"_qs, delivery.pickupPoint.name},
                       {u"description"_qs, delivery.pickupPoint.description},
                       {u"address"_qs, addressJson(delivery.pickupPoint.address)}};
    return QJsonObject{
        {u"id"_qs, id},
        {u"marketplace"_qs, marketplace},
        {u"account"_qs, account},
        {u"externalId"_qs, externalId},
        {u"revision"_qs, revision},
        {u"marketplaceStatus"_qs, marketplaceStatus},
        {u"fulfillmentStatus"_qs, fulfillmentStatus},
        {u"status"_qs, status},
        {u"buyer"_qs, QJsonObject{{u"externalId"_qs, buyer.externalId},
                                  {u"login"_qs, buyer.login},
                                  {u"email"_qs, buyer.email},
                                  {u"firstName"_qs, buyer.firstName},
                                  {u"lastName"_qs, buyer.lastName},
                                  {u"companyName"_qs, buyer.companyName},
                                  {u"nip"_qs, buyer.nip},
                                  {u"phone"_qs, buyer.phone},
                                  {u"guest"_qs, buyer.guest},
                                  {u"language"_qs, buyer.language}}},
        {u"delivery"_qs, QJsonObject{{u"methodId"_qs, delivery.methodId},
                                     {u"methodName"_qs, delivery.methodName},
                                     {u"address"_qs, addressJson(delivery.address)},
                                     {u"pickupPoint"_qs, pickup},
                                     {u"cost"_qs, moneyJson(delivery.cost)}}},
        {u"payment"_qs, QJsonObject{{u"method"_qs, payment.method},
                                    {u"provider"_qs, payment.provider},
                                    {u"externalId"_qs, payment.externalId},
                                    {u"status"_qs, paymentStatusKey(payment.status)},
                                    {u"paidAmount"_qs, moneyJson(payment.paidAmount)},
                                    {u"finishedAt"_qs, isoTime(payment.finishedAt)}}},
        {u"invoice"_qs, QJsonObject{{u"wanted"_qs, invoice.wanted},
                                    {u"companyName"_qs, invoice.companyName},
                                    {u"nip"_qs, invoice.nip},
                                    {u"vatPayerStatus"_qs, invoice.vatPayerStatus},
                                    {u"address"_qs, addressJson(invoice.address)}}},
        {u"items"_qs, itemArray},
        {u"adjustments"_qs, adjustmentArray},
        {u"shipments"_qs, shipmentArray},
        {u"total"_qs, moneyJson(total)},
        {u"buyerComment"_qs, buyerComment},
        {u"notes"_qs, notes},
        {u"referrers"_qs, QJsonArray::fromStringList(referrers)},
        {u"tags"_qs, QJsonArray::fromStringList(tags)},
        {u"createdAt"_qs, isoTime(createdAt)},
        {u"updatedAt"_qs, isoTime(updatedAt)},
        {u"marketplaceUpdatedAt"_qs, isoTime(marketplaceUpdatedAt)},
    };
}

QByteArray Order::toCompactJson(JsonFields fields) const
{
    QByteArray out;
    appendCompactJson(out, fields);
    return out;
}

void Order::appendCompactJson(QByteArray &out, JsonFields fields) const
{
    const bool all = fields == JsonFields::All;
    out.reserve(out.size() + 4096 + 512 * items.size()); // room for appendJsonString's worst case
    CompactWriter w(out);
    w.begin();
    if (all) {
        if (id)
            w.number("id", id);
        w.string("marketplace", marketplace);
        w.string("account", account);
        w.string("externalId", externalId);
        w.string("revision", revision);
        w.string("marketplaceStatus", marketplaceStatus);
        w.string("fulfillmentStatus", fulfillmentStatus);
        w.string("status", status);
    }
    w.begin("buyer");
    w.string("externalId", buyer.externalId);
    if (all) {
        w.string("login", buyer.login);
        w.string("email", buyer.email);
    }
    w.string("firstName", buyer.firstName);
    w.string("lastName", buyer.lastName);
    w.string("companyName", buyer.companyName);
    w.string("nip", buyer.nip);
    w.string("phone", buyer.phone);
    w.boolean("guest", buyer.guest);
    w.string("language", buyer.language);
    w.end();
    w.begin("delivery");
    w.string("methodId", delivery.methodId);
    if (all)
        w.string("methodName", delivery.methodName);
    w.address("address", delivery.address);
    if (!delivery.pickupPoint.isEmpty()) {
        w.begin("pickupPoint");
        w.string("id", delivery.pickupPoint.id);
        w.string("name", delivery.pickupPoint.name);
        w.string("description", delivery.pickupPoint.description);
        w.address("address", delivery.pickupPoint.address);
        w.end();
    }
    w.money("cost", delivery.cost);
    w.end();
    w.begin("payment");
    if (all)
        w.string("method", payment.method);
    w.string("provider", payment.provider);
    w.string("externalId", payment.externalId);
    if (all)
        w.string("status", paymentStatusKey(payment.status));
    w.money("paidAmount", payment.paidAmount);
    w.time("finishedAt", payment.finishedAt);
    w.end();
    w.begin("invoice");
    w.boolean("wanted", invoice.wanted);
    w.string("companyName", invoice.companyName);
    w.string("nip", invoice.nip);
    w.string("vatPayerStatus", invoice.vatPayerStatus);
    w.address("address", invoice.address);
    w.end();
    w.beginArray("items");
    for (const LineItem &item : items) {
        w.begin();
        w.string("externalId", item.externalId);
        if (all) {
            w.string("offerId", item.offerId);
            w.string("name", item.name);
            w.string("sku", item.sku);
            w.string("ean", item.ean);
            w.number("quantity", item.quantity);
            w.money("unitPrice", item.unitPrice);
        }
        w.money("originalPrice", item.originalPrice);
        if (item.vatRate.isValid())
            w.string("vatRate", item.vatRate.code());
        w.end();
    }
    w.endArray();
    if (!adjustments.isEmpty()) {
        w.beginArray("adjustments");
        for (const Adjustment &adjustment : adjustments) {
            w.begin();
            w.string("kind", adjustment.kind);
            w.string("description", adjustment.description);
            w.money("amount", adjustment.amount);
            w.end();
        }
        w.endArray();
    }
    if (!shipments.isEmpty()) {
        w.beginArray("shipments");
        for (const Shipment &shipment : shipments) {
            w.begin();
            w.string("carrierId", shipment.carrierId);
            w.string("waybill", shipment.waybill);
            w.string("status", shipment.status);
            if (!shipment.labelBarcode.isEmpty())
                w.string("labelBarcode", shipment.labelBarcode);
            w.end();
        }
        w.endArray();
    }
    if (all)
        w.money("total", total);
    w.string("buyerComment", buyerComment);
    w.string("notes", notes);
    if (!referrers.isEmpty()) {
        w.beginArray("referrers");
        for (const QString &referrer : referrers)
            w.arrayString(referrer);
        w.endArray();
    }
    if (!tags.isEmpty()) {
        w.beginArray("tags");
        for (const QString &tag : tags)
            w.arrayString(tag);
        w.endArray();
    }
    if (all) {
        w.time("createdAt", createdAt);
        w.time("updatedAt", updatedAt);
        w.time("marketplaceUpdatedAt", marketplaceUpdatedAt);
    }
    w.time("statusChangedAt", statusChangedAt);
    w.time("shippedAt", shippedAt);
    w.end();
}

Result<Order> Order::fromJson(const QJsonObject &json)
{
    Order order;
    order.id = json.value(u"id").toInteger();
    order.marketplace = json.value(u"marketplace").toString();
    order.account = json.value(u"account").toString();
    order.externalId = json.value(u"externalId").toString();
    order.revision = json.value(u"revision").toString();
    order.marketplaceStatus = json.value(u"marketplaceStatus").toString();
    order.fulfillmentStatus = json.value(u"fulfillmentStatus").toString();
    order.status = json.value(u"status").toString();

    const QJsonObject b = json.value(u"buyer").toObject();
    order.buyer.externalId = b.value(u"externalId").toString();
    order.buyer.login = b.value(u"login").toString();
    order.buyer.email = b.value(u"email").toString();
    order.buyer.firstName = b.value(u"firstName").toString();
    order.buyer.lastName = b.value(u"lastName").toString();
    order.buyer.companyName = b.value(u"companyName").toString();
    order.buyer.nip = b.value(u"nip").toString();
    order.buyer.phone = b.value(u"phone").toString();
    order.buyer.guest = b.value(u"guest").toBool();
    order.buyer.language = b.value(u"language").toString();

    const QJsonObject d = json.value(u"delivery").toObject();
    order.delivery.methodId = d.value(u"methodId").toString();
    order.delivery.methodName = d.value(u"methodName").toString();
    order.delivery.address = addressFromJson(d.value(u"address").toObject());
    const QJsonObject pickup = d.value(u"pickupPoint").toObject();
    order.delivery.pickupPoint.id = pickup.value(u"id").toString();
    order.delivery.pickupPoint.name = pickup.value(u"name").toString();
    order.delivery.pickupPoint.description = pickup.value(u"description").toString();
    order.delivery.pickupPoint.address = addressFromJson(pickup.value(u"address").toObject());
    auto cost = moneyFromJson(d.value(u"cost"), u"delivery.cost"_qs);
    if (!cost)
        return cost.error();
    order.delivery.cost = *cost;

    const QJsonObject p = json.value(u"payment").toObject();
    order.payment.method = p.value(u"method").toString();
    order.payment.provider = p.value(u"provider").toString();
    order.payment.externalId = p.value(u"externalId").toString();
    order.payment.status = paymentStatusFromKey(p.value(u"status").toString()).value_or(PaymentStatus::Unpaid);
    auto paid = moneyFromJson(p.value(u"paidAmount"), u"payment.paidAmount"_qs);
    if (!paid)
        return paid.error();
    order.payment.paidAmount = *paid;
    order.payment.finishedAt = parseTime(p.value(u"finishedAt"));

    const QJsonObject inv = json.value(u"invoice").toObject();
    order.invoice.wanted = inv.value(u"wanted").toBool();
    order.invoice.companyName = inv.value(u"companyName").toString();
    order.invoice.nip = inv.value(u"nip").toString();
    order.invoice.vatPayerStatus = inv.value(u"vatPayerStatus").toString();
    order.invoice.address = addressFromJson(inv.value(u"address").toObject());

    for (const QJsonValue &value : json.value(u"items").toArray()) {
        const QJsonObject o = value.toObject();
        LineItem item;
        item.externalId = o.value(u"externalId").toString();
        item.offerId = o.value(u"offerId").toString();
        item.name = o.value(u"name").toString();
        item.sku = o.value(u"sku").toString();
        item.ean = o.value(u"ean").toString();
        item.quantity = o.value(u"quantity").toInt();
        auto unit = moneyFromJson(o.value(u"unitPrice"), u"unitPrice"_qs);
        auto original = moneyFromJson(o.value(u"originalPrice"), u"originalPrice"_qs);
        if (!unit)
            return unit.error();
        if (!original)
            return original.error();
        item.unitPrice = *unit;
        item.originalPrice = *original;
        if (o.value(u"vatRate").isString()) {
            auto rate = VatRate::parse(o.value(u"vatRate").toString());
            if (!rate)
                return rate.error();
            item.vatRate = *rate;
        }
        order.items.append(item);
    }
    for (const QJsonValue &value : json.value(u"adjustments").toArray()) {
        const QJsonObject o = value.toObject();
        auto amount = moneyFromJson(o.value(u"amount"), u"adjustment"_qs);
        if (!amount)
            return amount.error();
        order.adjustments.append({o.value(u"kind").toString(), o.value(u"description").toString(), *amount});
    }
    for (const QJsonValue &value : json.value(u"shipments").toArray()) {
        const QJsonObject o = value.toObject();
        order.shipments.append({o.value(u"carrierId").toString(), o.value(u"waybill").toString(),
                                o.value(u"status").toString(), o.value(u"labelBarcode").toString()});
    }
    auto total = moneyFromJson(json.value(u"total"), u"total"_qs);
    if (!total)
        return total.error();
    order.total = *total;
    order.buyerComment = json.value(u"buyerComment").toString();
    order.notes = json.value(u"notes").toString();
    for (const QJsonValue &value : json.value(u"referrers").toArray())
        order.referrers.append(value.toString());
    for (const QJsonValue &value : json.value(u"tags").toArray())
        order.tags.append(value.toString());
    order.createdAt = parseTime(json.value(u"createdAt"));
    order.updatedAt = parseTime(json.value(u"updatedAt"));
    order.marketplaceUpdatedAt = parseTime(json.value(u"marketplaceUpdatedAt"));
    order.statusChangedAt = parseTime(json.value(u"statusChangedAt"));
    order.shippedAt = parseTime(json.value(u"shippedAt"));
    return order;
}

} // namespace sd::domain
