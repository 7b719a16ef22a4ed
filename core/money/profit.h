#pragma once

#include "documents/settings.h"
#include "domain/order.h"
#include "money/moneysettings.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>

#include <optional>

namespace sd::money {

// One entry of the marketplace's billing for an order (Allegro's /billing/billing-entries): value as billed, negative
// when the seller is charged (SUC commission -1.23), with the VAT rate the marketplace charged on it.
struct BillingFee
{
    QString entryId;
    QString typeId; // SUC, DPG, ...
    QString typeName;
    qint64 amount = 0;
    QString currency;
    int taxPercent = 0;
};

// What the profit of an order is computed from besides the order and the settings.
struct ProfitInputs
{
    // Per line item (by index): the net purchase price of one unit, in its currency; nullopt when no product with a
    // purchase price matches the item.
    QList<std::optional<domain::Money>> unitCosts;
    QList<BillingFee> billing; // empty: the commission table of the settings
};

// F1: the order's profit in the order's currency, in grosze. Every cost is net of VAT (a VAT payer gets the input
// tax back): purchase prices as products hold them, billing entries converted to net at the rate the marketplace
// billed (gross * 100 / (100 + rate)), the settings' amounts as typed (net). Revenue is net of VAT exactly as the
// order's invoice computes it (documents::orderVatTotals: VAT per rate from the gross sum, rounded once).
// Percentages (commission, payment fee) are of the gross amount paid, rounded half away from zero to the grosz.
//   profit = revenueNet - purchaseCost - marketplaceFees - shippingCost - paymentFees - packaging
struct Profit
{
    Q_DECLARE_TR_FUNCTIONS(Profit)

public:
    qint64 orderId = 0;
    QString currency;
    qint64 revenueGross = 0;
    qint64 revenueNet = 0;
    qint64 purchaseCost = 0;
    qint64 marketplaceFees = 0;
    qint64 shippingCost = 0; // what the courier charges the seller
    qint64 paymentFees = 0;
    qint64 packaging = 0;
    qint64 profit = 0;
    bool feesFromBilling = false; // marketplace fees from its billing entries, else the commission table
    QStringList problems;         // the data does not add up: the loss guard treats the order like a loss
    QStringList warnings;         // computed, but something was assumed (a missing purchase price counts 0)
    QDateTime computedAt;

    qint64 vat() const { return revenueGross - revenueNet; }
    qint64 costs() const { return purchaseCost + marketplaceFees + shippingCost + paymentFees + packaging; }
    // Whether completing the order should be refused (E4).
    bool blocksCompletion(const MoneySettings &settings) const
    {
        return !problems.isEmpty() || profit < settings.minProfit;
    }
    QJsonObject toJson() const; // amounts as decimal strings
    // "123,45 zł" in the display locale.
    QString display(qint64 amount) const;

    static Profit compute(const domain::Order &order, const ProfitInputs &inputs, const MoneySettings &settings,
                          const documents::DocumentSettings &documentSettings);
};

// Net of an amount that includes VAT at percent: gross * 100 / (100 + percent), rounded half away from zero.
qint64 netOfGross(qint64 gross, int percent);

} // namespace sd::money
