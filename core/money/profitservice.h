#pragma once

#include "money/profit.h"
#include "storage/database.h"

#include <QHash>
#include <QJsonArray>

#include <memory>

namespace sd::money {

// Profit per order from the database: purchase prices from products (by SKU, else EAN), the marketplace's billing
// entries kept in order_fees, the money and document settings. Computed profits are cached in order_profit with the
// order's updated_at, the count and sum of its billing entries and the settings' revision they were computed from; a
// row that no longer matches (the order changed through the change API, new billing entries were downloaded, the
// settings were saved) is recomputed before it is read; a product's new purchase price drops the rows of the orders
// holding it (forgetProduct).
class ProfitService
{
public:
    explicit ProfitService(std::shared_ptr<storage::Database> db);

    // Computed now for an order as given (the loss guard checks the order a change would store).
    Result<Profit> compute(const domain::Order &order);
    // The cached profit, recomputed and stored when stale.
    Result<Profit> profit(qint64 orderId);
    // Profits of many orders (the order list's column): fresh cache rows read at once, the rest recomputed.
    Result<QHash<qint64, Profit>> profits(const QList<qint64> &orderIds);
    // What the shipping formula charges for the order (F3, manual and web-shop orders): its items' weight from the
    // products (by SKU, else EAN; unknown products weigh nothing), its quantity, the delivery country, the payment
    // and delivery methods, and the goods' value (items and adjustments, without the delivery).
    Result<ShippingFormula::Quote> shippingQuote(const domain::Order &order);
    // Recomputes every stored order (after purchase prices changed); returns how many.
    Result<int> recomputeAll();
    // Drops the cached profits of the orders holding a product (by SKU, or EAN) whose purchase price changed or that
    // was just added, so they are recomputed when next read; returns how many. InventoryStore calls it in the
    // transaction that changes the price.
    static Result<int> forgetProduct(storage::Database &db, const QString &sku, const QString &ean);

    // The marketplace's billing entries for the order, as the Allegro connector downloaded them
    // (SellerActions::downloadBilling -> marketplace_billing). Allegro bills its fees with 23 % VAT.
    Result<QList<BillingFee>> billingFees(qint64 orderId);

private:
    struct Settings
    {
        MoneySettings money;
        documents::DocumentSettings documents;
    };
    Result<Settings> settings();
    Result<ProfitInputs> inputsFor(const domain::Order &order);
    Result<Profit> computeAndStore(qint64 orderId, const Settings &settings);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::money
