#include "money/shippingformula.h"

#include "domain/money.h"
#include "domain/order.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sd::money {

namespace {

QString pln(qint64 grosze)
{
    return domain::Money(grosze, u"PLN"_s).toDisplayString();
}

} // namespace

Result<qint64> parseAmount(const QString &text)
{
    auto m = domain::Money::parse(text.trimmed(), u"PLN"_s);
    if (!m)
        return m.error();
    if (m->minor() < 0)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::money", "An amount here may not be negative: %1").arg(text));
    return m->minor();
}

bool ShippingFormula::isPickup(const QString &deliveryMethod) const
{
    const QString m = deliveryMethod.trimmed();
    if (m.isEmpty())
        return false;
    for (const QString &p : pickupMethods)
        if (p.compare(m, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Result<ShippingFormula::Quote> ShippingFormula::quote(const Input &input) const
{
    if (input.weightGrams < 0 || input.quantity < 1 || input.goodsValue < 0)
        return makeError(Error::Code::Invalid,
                         tr("The weight and the value may not be negative and the quantity must be at least 1."));
    Quote q;
    if (isPickup(input.deliveryMethod)) {
        q.pickup = true;
        q.explanation << tr("Collected in person: no shipping charge.");
        return q;
    }
    const qint64 kilograms = (qint64(input.weightGrams) + 999) / 1000; // started kilograms
    const QString country = input.country.trimmed().isEmpty() ? u"PL"_s : input.country.trimmed().toUpper();
    // "*" is abroad: the home country (PL) costs only what is set for it.
    const qint64 zone = zoneSurcharge.value(country, country == u"PL" ? 0 : zoneSurcharge.value(u"*"_s, 0));
    const qint64 transport = base + perKg * kilograms + perExtraItem * (input.quantity - 1) + zone;
    q.explanation << tr("Base: %1").arg(pln(base));
    if (perKg)
        q.explanation
            << tr("Weight: %n started kg × %1 = %2", nullptr, int(kilograms)).arg(pln(perKg), pln(perKg * kilograms));
    if (perExtraItem && input.quantity > 1)
        q.explanation << tr("Quantity: %n more item(s) × %1 = %2", nullptr, input.quantity - 1)
                             .arg(pln(perExtraItem), pln(perExtraItem * (input.quantity - 1)));
    if (zone)
        q.explanation << tr("Zone %1: %2").arg(country, pln(zone));
    if (freeAbove > 0 && input.goodsValue >= freeAbove) {
        q.freeShipping = true;
        q.explanation << tr("Free shipping from %1 (the goods are worth %2): %3 waived.")
                             .arg(pln(freeAbove), pln(input.goodsValue), pln(transport));
    } else {
        q.transport = transport;
    }
    if (input.paymentMethod == QLatin1StringView(domain::PaymentMethodKey::kCashOnDelivery) && codSurcharge) {
        q.codSurcharge = codSurcharge;
        q.explanation << tr("Cash on delivery: %1").arg(pln(codSurcharge));
    }
    q.total = q.transport + q.codSurcharge;
    q.explanation << tr("Total: %1").arg(pln(q.total));
    return q;
}

QJsonObject ShippingFormula::toJson() const
{
    QJsonObject zones;
    for (auto it = zoneSurcharge.cbegin(); it != zoneSurcharge.cend(); ++it)
        zones.insert(it.key(), it.value());
    return {{u"base"_s, base},
            {u"perKg"_s, perKg},
            {u"perExtraItem"_s, perExtraItem},
            {u"zones"_s, zones},
            {u"cod"_s, codSurcharge},
            {u"freeAbove"_s, freeAbove},
            {u"pickup"_s, QJsonArray::fromStringList(pickupMethods)}};
}

Result<ShippingFormula> ShippingFormula::fromJson(const QJsonObject &json)
{
    ShippingFormula f;
    auto amount = [&](const char *key, qint64 &out) -> bool {
        const qint64 v = json.value(QLatin1StringView(key)).toInteger(0);
        if (v < 0)
            return false;
        out = v;
        return true;
    };
    bool ok = amount("base", f.base) && amount("perKg", f.perKg) && amount("perExtraItem", f.perExtraItem) &&
              amount("cod", f.codSurcharge) && amount("freeAbove", f.freeAbove);
    const QJsonObject zones = json.value(u"zones"_s).toObject();
    for (auto it = zones.constBegin(); it != zones.constEnd(); ++it) {
        if (it.value().toInteger(-1) < 0)
            ok = false;
        f.zoneSurcharge.insert(it.key(), it.value().toInteger(0));
    }
    for (const QJsonValue &v : json.value(u"pickup"_s).toArray())
        f.pickupMethods.append(v.toString());
    if (!ok)
        return makeError(Error::Code::Invalid, tr("The shipping formula holds a negative amount."));
    return f;
}

Result<void> ShippingFormula::set(const QString &key, const QString &value)
{
    auto assign = [&](qint64 &field) -> Result<void> {
        auto v = parseAmount(value);
        if (!v)
            return v.error();
        field = *v;
        return {};
    };
    if (key == u"base")
        return assign(base);
    if (key == u"perKg")
        return assign(perKg);
    if (key == u"perExtraItem")
        return assign(perExtraItem);
    if (key == u"cod")
        return assign(codSurcharge);
    if (key == u"freeAbove")
        return assign(freeAbove);
    if (key == u"pickup") {
        pickupMethods.clear();
        for (const QString &m : value.split(u',', Qt::SkipEmptyParts))
            if (!m.trimmed().isEmpty())
                pickupMethods.append(m.trimmed());
        return {};
    }
    if (key.startsWith(u"zone.")) {
        const QString country = key.mid(5).trimmed().toUpper();
        if (country != u"*" && (country.size() != 2 || !country.at(0).isLetter() || !country.at(1).isLetter()))
            return makeError(
                Error::Code::Invalid,
                tr("A zone is a two-letter country code or * for the rest of the world, not \"%1\".").arg(key.mid(5)));
        if (value.trimmed().isEmpty()) {
            zoneSurcharge.remove(country);
            return {};
        }
        auto v = parseAmount(value);
        if (!v)
            return v.error();
        zoneSurcharge.insert(country, *v);
        return {};
    }
    return makeError(Error::Code::Invalid, tr("There is no shipping setting \"%1\".").arg(key));
}

} // namespace sd::money
