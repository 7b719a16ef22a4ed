#include "money/profit.h"

#include "documents/documentbuilder.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sd::money {

using domain::Money;

qint64 netOfGross(qint64 gross, int percent)
{
    return documents::mulDivRounded(gross, 100, 100 + percent);
}

QString Profit::display(qint64 amount) const
{
    return Money(amount, currency).toDisplayString();
}

QJsonObject Profit::toJson() const
{
    auto dec = [&](qint64 v) { return Money(v, currency).toDecimalString(); };
    return {{u"orderId"_s, orderId},
            {u"currency"_s, currency},
            {u"revenueGross"_s, dec(revenueGross)},
            {u"vat"_s, dec(vat())},
            {u"revenueNet"_s, dec(revenueNet)},
            {u"purchaseCost"_s, dec(purchaseCost)},
            {u"marketplaceFees"_s, dec(marketplaceFees)},
            {u"marketplaceFeesSource"_s, feesFromBilling ? u"billing"_s : u"commission-table"_s},
            {u"shippingCost"_s, dec(shippingCost)},
            {u"paymentFees"_s, dec(paymentFees)},
            {u"packaging"_s, dec(packaging)},
            {u"profit"_s, dec(profit)},
            {u"problems"_s, QJsonArray::fromStringList(problems)},
            {u"warnings"_s, QJsonArray::fromStringList(warnings)},
            {u"computedAt"_s, computedAt.toUTC().toString(Qt::ISODateWithMs)}};
}

Profit Profit::compute(const domain::Order &order, const ProfitInputs &inputs, const MoneySettings &settings,
                       const documents::DocumentSettings &documentSettings)
{
    Profit p;
    p.orderId = order.id;
    p.currency = order.currency().isEmpty() ? u"PLN"_s : order.currency();
    p.computedAt = QDateTime::currentDateTimeUtc();
    p.revenueGross = order.total.minor();

    // Revenue: the invoice's own arithmetic, so the report and the invoice never differ by a grosz.
    if (order.total.minor() != order.computedTotal().minor())
        p.problems << tr("The order's total %1 is not its items, delivery and adjustments (%2).")
                          .arg(order.total.toDisplayString(), order.computedTotal().toDisplayString());
    if (auto totals = documents::orderVatTotals(order, documentSettings)) {
        p.revenueNet = totals->net.minor();
        p.revenueGross = totals->gross.minor();
    } else {
        p.problems << tr("The VAT of the order cannot be computed: %1").arg(totals.error().userMessage);
    }

    for (qsizetype i = 0; i < order.items.size(); ++i) {
        const domain::LineItem &item = order.items.at(i);
        const std::optional<Money> cost = i < inputs.unitCosts.size() ? inputs.unitCosts.at(i) : std::nullopt;
        if (!cost || cost->isZero()) {
            p.warnings << tr("No purchase price for \"%1\" (counted as 0).").arg(item.name);
            continue;
        }
        if (cost->currency() != p.currency) {
            p.problems << tr("The purchase price of \"%1\" is in %2, the order in %3.")
                              .arg(item.name, cost->currency(), p.currency);
            continue;
        }
        p.purchaseCost += cost->minor() * item.quantity;
    }

    // The settings' amounts are złoty: an order in another currency leaves them out rather than mixing currencies.
    const bool settingsApply = p.currency == u"PLN";
    if (!settingsApply)
        p.warnings << tr("Costs set in PLN (commission table, courier, payment fee, packaging) are left out of an "
                         "order in %1.")
                          .arg(p.currency);

    if (!inputs.billing.isEmpty()) {
        p.feesFromBilling = true;
        for (const BillingFee &fee : inputs.billing) {
            if (fee.currency != p.currency) {
                p.problems << tr("A billing entry (%1) is in %2, the order in %3.")
                                  .arg(fee.typeName.isEmpty() ? fee.typeId : fee.typeName, fee.currency, p.currency);
                continue;
            }
            p.marketplaceFees -= netOfGross(fee.amount, fee.taxPercent); // a charge is negative
        }
    } else if (settingsApply) {
        p.marketplaceFees =
            Money(p.revenueGross, p.currency).percentOf(settings.commissionFor(order.marketplace)).minor();
    }

    if (settingsApply) {
        const ShippingFormula &formula = settings.shipping;
        const bool pickup = formula.isPickup(order.delivery.methodName) || formula.isPickup(order.delivery.methodId);
        p.shippingCost = pickup ? 0 : settings.courierCostFor(order.delivery.methodId, order.delivery.methodName);
        if (auto it = settings.paymentFees.constFind(order.payment.method); it != settings.paymentFees.constEnd())
            p.paymentFees = it->fixed + Money(p.revenueGross, p.currency).percentOf(it->basisPoints).minor();
        p.packaging = settings.packagingPerOrder;
    }

    p.profit = p.revenueNet - p.costs();
    return p;
}

} // namespace sd::money
