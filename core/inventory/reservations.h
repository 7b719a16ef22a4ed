#pragma once

#include "inventory/inventorystore.h"

#include <QCoreApplication>

namespace sd::inventory {

// The product of one line item and its stock: on hand per warehouse and over all, and what open orders reserve.
struct LineStock
{
    qint64 productId = 0; // 0: the item is no product
    QString sku;
    int total = 0;
    int reserved = 0;
    QList<ProductStock::PerWarehouse> warehouses;
    int available() const { return total - reserved; }
};

// Which product each line item of an order is (the offer's link, preferring the order's own account, then the SKU,
// then the EAN) with its stock, read in one statement for the whole order.
Result<QList<LineStock>> lineStock(InventoryStore &inventory, const domain::Order &order);
// The products of lineStock() alone. 0: none.
Result<QList<qint64>> matchItems(InventoryStore &inventory, const domain::Order &order);

// Follows the order events (its own cursor in automation_state, moved in the transaction of what it does, so each
// event acts once): a new order reserves its items, a status in the "shipped" group issues them (a WZ document made
// once per order), a status in the "cancelled" group or the marketplace's cancellation releases them.
class Reservations
{
    Q_DECLARE_TR_FUNCTIONS(Reservations)

public:
    static constexpr char kCursor[] = "inventory.reservations";

    explicit Reservations(InventoryStore &inventory);

    // Handles the events after the cursor (at most limit); returns how many were read.
    Result<int> follow(int limit = 1000);

    Result<void> reserve(const domain::Order &order);
    Result<void> release(qint64 orderId);
    // Whether the order's items left the warehouse (its WZ was posted).
    Result<bool> issued(qint64 orderId);
    // Issues the order's items (WZ, once per order: its source key) and drops its reservation.
    Result<void> issue(const domain::Order &order, const QString &author);

    // C7, for the invoicing module: true when a product of the order has no stock for it (its stock over all
    // warehouses less other orders' reservations is zero or less). The order is then tagged for invoicing by hand
    // (an order change with history, through OrderStore), and the automatic invoice must not be issued.
    // `empty` gets the SKUs without stock.
    Result<bool> zeroStockBlocksInvoice(qint64 orderId, const QString &actor = QStringLiteral("inventory"),
                                        QStringList *empty = nullptr);

private:
    Result<QString> statusGroup(const QString &status);
    Result<void> handle(const storage::EventRecord &event);

    InventoryStore &m_inventory;
};

} // namespace sd::inventory
