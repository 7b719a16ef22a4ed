#pragma once

#include "domain/money.h"
#include "domain/vatrate.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>

#include <memory>
#include <optional>

namespace sd::inventory {

struct Product
{
    qint64 id = 0;
    QString sku;
    QString ean; // digits with a valid check digit, or empty
    QString name;
    domain::VatRate vatRate = domain::VatRate::percent(23);
    domain::Money purchasePrice{0, QStringLiteral("PLN")};
    int weightGrams = 0;
    int lengthMm = 0;
    int widthMm = 0;
    int heightMm = 0;
    bool requiresSerial = false; // the packing station asks for each unit's serial code
    QString location{};          // where it lies in the warehouse ("A-03-2"); pick lists sort by it
};

struct Warehouse
{
    qint64 id = 0;
    QString code;
    QString name;
    bool isDefault = false;
};

// PZ receipt, WZ issue, MM transfer, INW stock-taking correction (Polish document codes, used in the numbers).
enum class DocumentKind { Receipt, Issue, Transfer, StockTaking };
QString documentCode(DocumentKind kind);
std::optional<DocumentKind> documentKindFromCode(const QString &code);

struct DocumentRequest
{
    struct Line
    {
        qint64 productId = 0;
        qint64 warehouseId = 0;
        qint64 toWarehouseId = 0; // Transfer only
        int quantity = 0;         // > 0; StockTaking: the quantity counted (>= 0)
    };
    DocumentKind kind = DocumentKind::Receipt;
    QString author;
    QString note;
    QDate date; // today when null
    qint64 orderId = 0;
    // Makes the document once: a second request with the same key returns the first document.
    QString sourceKey;
    QList<Line> lines;
};

struct StockDocument
{
    struct Line
    {
        qint64 productId = 0;
        QString sku;
        qint64 warehouseId = 0;
        QString warehouse;
        int quantity = 0; // signed: what the line adds to the warehouse's stock
    };
    qint64 id = 0;
    DocumentKind kind = DocumentKind::Receipt;
    QString number; // "PZ/3/2026": the kind's own series, per year
    QDate date;
    QString author;
    QString note;
    qint64 orderId = 0;
    bool existed = false; // the source key had made this document before
    QList<Line> lines;
};

struct ProductStock
{
    struct PerWarehouse
    {
        qint64 warehouseId = 0;
        QString warehouse;
        int quantity = 0;
    };
    Product product;
    QList<PerWarehouse> warehouses;
    int total = 0;
    int reserved = 0;
};

namespace EventType {
// A stock document was posted (payload: document, kind, number, products); the automation trigger of that name.
inline constexpr char kStockChanged[] = "stock.changed";
} // namespace EventType

// Products, warehouses and stock documents. Stock is never edited: it is the sum of the posted documents' lines,
// kept per product and warehouse in stock_levels by the posting transaction, which refuses to take any level below
// zero and then writes nothing. Every posted document records a stock.changed event and asks for a stock sync.
class InventoryStore
{
    Q_DECLARE_TR_FUNCTIONS(InventoryStore)

public:
    explicit InventoryStore(storage::OrderStore &orders);

    Result<Product> addProduct(Product product);
    // A new purchase price (net); the cached profits of the orders holding the product are dropped with it.
    Result<Product> setPurchasePrice(const QString &sku, const domain::Money &price);
    Result<Product> product(const QString &sku);
    Result<Product> productById(qint64 id);
    Result<QList<Product>> products();
    // Products by SKU and by EAN, for matching order lines and offers.
    Result<std::optional<qint64>> findProduct(const QString &sku, const QString &ean);
    // What the packing station and the pick lists read: serial codes required, the shelf location.
    Result<void> setPackingDetails(qint64 productId, bool requiresSerial, const QString &location);

    Result<Warehouse> addWarehouse(const QString &code, const QString &name, bool makeDefault = false);
    Result<QList<Warehouse>> warehouses();
    Result<Warehouse> warehouse(const QString &code);
    // The default warehouse, else the first one; an error naming what to do when there is none.
    Result<Warehouse> defaultWarehouse();

    Result<StockDocument> post(const DocumentRequest &request);
    // Convenience for the CLI and tests: one line by SKU and warehouse code (empty: the default warehouse).
    Result<StockDocument> receive(const QString &sku, int quantity, const QString &warehouse, const QString &author);
    Result<StockDocument> issue(const QString &sku, int quantity, const QString &warehouse, const QString &author);
    Result<StockDocument> transfer(const QString &sku, int quantity, const QString &from, const QString &to,
                                   const QString &author);
    Result<StockDocument> countStock(const QString &sku, int counted, const QString &warehouse, const QString &author);

    Result<ProductStock> stock(qint64 productId);
    Result<ProductStock> stockOf(const QString &sku);
    // Sum over all warehouses, and what open orders reserve.
    Result<int> totalStock(qint64 productId);
    Result<int> reserved(qint64 productId, qint64 exceptOrderId = 0);
    Result<QList<StockDocument>> documents(int limit = 200);
    Result<StockDocument> document(qint64 id);

    storage::OrderStore &orders() { return m_orders; }
    storage::Database &database() { return m_orders.database(); }

private:
    Result<StockDocument> postSingle(DocumentKind kind, const QString &sku, int quantity, const QString &warehouse,
                                     const QString &to, const QString &author);
    Result<QString> nextNumber(DocumentKind kind, int year);
    Result<int> level(qint64 productId, qint64 warehouseId);

    storage::OrderStore &m_orders;
};

} // namespace sd::inventory
