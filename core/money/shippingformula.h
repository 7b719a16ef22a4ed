#pragma once

#include "util/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

namespace sd::money {

// "12,50" złoty -> 1250 grosze, exactly; negative amounts are refused (every amount of the money settings).
Result<qint64> parseAmount(const QString &text);

// What the buyer pays for shipping a manual or web-shop order (F3), in grosze:
//   pick-up at the seller's: nothing at all;
//   else transport = base + perKg * started kilograms + perExtraItem * (quantity - 1) + the zone's surcharge
//   (the country's, else "*" for any other foreign country, nothing for Poland unless set; a rough stand-in for
//   distance),
//   waived when the goods are worth at least freeAbove (0: never);
//   plus codSurcharge for cash on delivery (the free-shipping threshold does not waive it).
struct ShippingFormula
{
    Q_DECLARE_TR_FUNCTIONS(ShippingFormula)

public:
    qint64 base = 0;
    qint64 perKg = 0;
    qint64 perExtraItem = 0;
    QMap<QString, qint64> zoneSurcharge; // country code (PL, DE, ...) or "*" (every other foreign country) -> grosze
    qint64 codSurcharge = 0;
    qint64 freeAbove = 0;
    QStringList pickupMethods; // delivery method names or ids that mean collection in person

    struct Input
    {
        int weightGrams = 0;
        int quantity = 1;
        QString country = QStringLiteral("PL");
        QString paymentMethod;
        QString deliveryMethod;
        qint64 goodsValue = 0;
    };
    struct Quote
    {
        qint64 transport = 0; // after the free-shipping waiver
        qint64 codSurcharge = 0;
        qint64 total = 0;
        bool pickup = false;
        bool freeShipping = false;
        QStringList explanation; // translated, one line per part
    };

    bool isPickup(const QString &deliveryMethod) const;
    Result<Quote> quote(const Input &input) const;

    QJsonObject toJson() const;
    static Result<ShippingFormula> fromJson(const QJsonObject &json);
    // "base", "perKg", "perExtraItem", "cod", "freeAbove" (amounts), "zone.PL" / "zone.*" (amount, "" removes),
    // "pickup" (comma-separated methods).
    Result<void> set(const QString &key, const QString &value);
    bool operator==(const ShippingFormula &) const = default;
};

} // namespace sd::money
