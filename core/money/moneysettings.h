#pragma once

#include "money/shippingformula.h"
#include "storage/database.h"

#include <QJsonObject>
#include <QMap>

namespace sd::money {

// A payment provider's charge: fixed + gross * basisPoints / 10000 (rounded half away from zero).
struct PaymentFee
{
    qint64 fixed = 0;
    int basisPoints = 0;
    bool operator==(const PaymentFee &) const = default;
};

// What the profit report (F1), the shipping formula (F3) and the loss guard (E4) work from, per profile (stored in
// money_settings so every workstation computes alike). Amounts are grosze, percentages basis points (1 % = 100).
struct MoneySettings
{
    // Marketplace commission when the marketplace's billing gives none for the order: per channel ("allegro-pl",
    // "manual", "shop") or the default, of the order's gross value.
    int defaultCommissionBp = 0;
    QMap<QString, int> commissionBp;
    qint64 packagingPerOrder = 0;
    QMap<QString, PaymentFee> paymentFees; // payment method key -> fee
    // What the courier charges the seller, by delivery method (its name or id as the order carries it).
    qint64 defaultCourierCost = 0;
    QMap<QString, qint64> courierCosts;
    ShippingFormula shipping;
    // E4: completing an order whose profit is below minProfit, or whose data does not add up, is refused.
    bool lossGuard = true;
    qint64 minProfit = 0;
    QString adminEmail;  // when set, a blocked completion also sends the administrator an e-mail
    qint64 revision = 0; // bumped by every save: cached profits computed under an older revision are stale

    int commissionFor(const QString &channel) const { return commissionBp.value(channel, defaultCommissionBp); }
    qint64 courierCostFor(const QString &methodId, const QString &methodName) const;

    QJsonObject toJson() const;
    static Result<MoneySettings> fromJson(const QJsonObject &json);
    static Result<MoneySettings> load(storage::Database &db);
    // Saves with revision + 1 (and sets this->revision).
    Result<void> save(storage::Database &db);
    // One setting from text as typed: "commission.default" 12.5 (percent), "commission.allegro-pl" 9,
    // "packaging" 1.50, "payment.CASH_ON_DELIVERY" "3.00+1.5%", "courier.default" 12.99, "courier.InPost" 10,
    // "lossGuard" on|off, "minProfit" 0, "adminEmail" a@b.pl, "shipping.*" (see ShippingFormula::set).
    Result<void> set(const QString &key, const QString &value);
};

// "12.5" (percent, at most two decimals) -> 1250 basis points.
Result<int> parsePercent(const QString &text);
QString percentText(int basisPoints); // 1250 -> "12.5"
// "3.00+1.5%", "2", "0.9%" -> a fee.
Result<PaymentFee> parseFee(const QString &text);
QString feeText(const PaymentFee &fee);

} // namespace sd::money
