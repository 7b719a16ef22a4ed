#include "inventory/inventorystore.h"

#include "automation/sqlrun.h"
#include "domain/ean.h"
#include "inventory/stocksync.h"
#include "money/profitservice.h"

#include <QHash>
#include <QJsonArray>

namespace sd::inventory {

using automation::nullableId;
using automation::runSql;

QString documentCode(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::Receipt:
        return QStringLiteral("PZ");
    case DocumentKind::Issue:
        return QStringLiteral("WZ");
    case DocumentKind::Transfer:
        return QStringLiteral("MM");
    case DocumentKind::StockTaking:
        return QStringLiteral("INW");
    }
    return {};
}

std::optional<DocumentKind> documentKindFromCode(const QString &code)
{
    for (DocumentKind kind :
         {DocumentKind::Receipt, DocumentKind::Issue, DocumentKind::Transfer, DocumentKind::StockTaking}) {
        if (documentCode(kind).compare(code, Qt::CaseInsensitive) == 0)
            return kind;
    }
    return std::nullopt;
}

namespace {

const QString kProductColumns =
    QStringLiteral("id, sku, ean, name, vat_rate, purchase_minor, currency, weight_g, length_mm, width_mm, height_mm, "
                   "requires_serial, location");

Product productFrom(const QSqlQuery &q)
{
    Product p;
    p.id = q.value(0).toLongLong();
    p.sku = q.value(1).toString();
    p.ean = q.value(2).toString();
    p.name = q.value(3).toString();
    if (auto rate = domain::VatRate::parse(q.value(4).toString()); rate)
        p.vatRate = *rate;
    p.purchasePrice = domain::Money(q.value(5).toLongLong(), q.value(6).toString());
    p.weightGrams = q.value(7).toInt();
    p.lengthMm = q.value(8).toInt();
    p.widthMm = q.value(9).toInt();
    p.heightMm = q.value(10).toInt();
    p.requiresSerial = q.value(11).toInt() != 0;
    p.location = q.value(12).toString();
    return p;
}

Warehouse warehouseFrom(const QSqlQuery &q)
{
    return Warehouse{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toInt() != 0};
}

} // namespace

InventoryStore::InventoryStore(storage::OrderStore &orders)
    : m_orders(orders)
{}

Result<Product> InventoryStore::addProduct(Product product)
{
    product.sku = product.sku.trimmed();
    product.name = product.name.trimmed();
    if (product.sku.isEmpty())
        return makeError(Error::Code::Invalid, tr("A product needs a SKU."));
    if (product.name.isEmpty())
        return makeError(Error::Code::Invalid, tr("A product needs a name."));
    if (!product.ean.trimmed().isEmpty()) {
        auto ean = domain::Ean::parse(product.ean);
        if (!ean)
            return makeError(Error::Code::Invalid,
                             tr("The EAN %1 is not valid: %2").arg(product.ean, ean.error().userMessage));
        product.ean = ean->code();
    } else {
        product.ean.clear();
    }
    if (!product.vatRate.isValid())
        return makeError(Error::Code::Invalid, tr("The VAT rate is not valid."));
    if (product.purchasePrice.minor() < 0)
        return makeError(Error::Code::Invalid, tr("The purchase price cannot be negative."));
    if (product.weightGrams < 0 || product.lengthMm < 0 || product.widthMm < 0 || product.heightMm < 0)
        return makeError(Error::Code::Invalid, tr("Weight and dimensions cannot be negative."));
    auto existing = runSql(database(), u"SELECT id FROM products WHERE sku = ?"_qs, "find product", {product.sku});
    if (!existing)
        return existing.error();
    if (existing->next())
        return makeError(Error::Code::Conflict, tr("A product with the SKU %1 exists already.").arg(product.sku));
    existing->finish();
    storage::Transaction tx(database(), "add product");
    if (!tx.started())
        return tx.started().error();
    auto q = runSql(
        database(),
        u"INSERT INTO products (sku, ean, name, vat_rate, purchase_minor, currency, weight_g, length_mm, "
        "width_mm, height_mm, requires_serial, location, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?) RETURNING id"_qs,
        "add product",
        {product.sku, product.ean, product.name, product.vatRate.code(), product.purchasePrice.minor(),
         product.purchasePrice.currency(), product.weightGrams, product.lengthMm, product.widthMm, product.heightMm,
         product.requiresSerial ? 1 : 0, product.location.trimmed(), QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage, tr("The product could not be saved."));
    product.id = q->value(0).toLongLong();
    q->finish();
    // Reservations follow the order events from the first product on: earlier orders cannot match any product.
    if (auto r = runSql(database(),
                        u"INSERT INTO automation_state (name, value) SELECT ?, COALESCE(MAX(id), 0) FROM events "
                        "WHERE 1 = 1 ON CONFLICT (name) DO NOTHING"_qs,
                        "start reservation cursor", {QStringLiteral("inventory.reservations")});
        !r)
        return r.error();
    // Orders sold before the product existed counted its cost as 0: their cached profit is stale now.
    if (auto r = money::ProfitService::forgetProduct(database(), product.sku, product.ean); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return product;
}

Result<Product> InventoryStore::setPurchasePrice(const QString &sku, const domain::Money &price)
{
    if (price.minor() < 0)
        return makeError(Error::Code::Invalid, tr("The purchase price cannot be negative."));
    auto current = product(sku);
    if (!current)
        return current.error();
    storage::Transaction tx(database(), "set purchase price");
    if (!tx.started())
        return tx.started().error();
    if (auto r = runSql(database(), u"UPDATE products SET purchase_minor = ?, currency = ? WHERE id = ?"_qs,
                        "set purchase price", {price.minor(), price.currency(), current->id});
        !r)
        return r.error();
    // The profit of every order holding the product is recomputed when next read (no "money recompute" needed).
    if (auto r = money::ProfitService::forgetProduct(database(), current->sku, current->ean); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    current->purchasePrice = price;
    return *current;
}

Result<Product> InventoryStore::product(const QString &sku)
{
    auto q = runSql(database(), u"SELECT "_qs + kProductColumns + u" FROM products WHERE sku = ?", "product by sku",
                    {sku.trimmed()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no product with the SKU %1.").arg(sku));
    return productFrom(*q);
}

Result<Product> InventoryStore::productById(qint64 id)
{
    auto q =
        runSql(database(), u"SELECT "_qs + kProductColumns + u" FROM products WHERE id = ?", "product by id", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no product with the id %1.").arg(id));
    return productFrom(*q);
}

Result<QList<Product>> InventoryStore::products()
{
    auto q = runSql(database(), u"SELECT "_qs + kProductColumns + u" FROM products ORDER BY sku", "list products");
    if (!q)
        return q.error();
    QList<Product> list;
    while (q->next())
        list.append(productFrom(*q));
    return list;
}

Result<void> InventoryStore::setPackingDetails(qint64 productId, bool requiresSerial, const QString &location)
{
    auto q = runSql(database(), u"UPDATE products SET requires_serial = ?, location = ? WHERE id = ?"_qs,
                    "set packing details", {requiresSerial ? 1 : 0, location.trimmed(), productId});
    if (!q)
        return q.error();
    if (q->numRowsAffected() < 1)
        return makeError(Error::Code::NotFound, tr("There is no product with the id %1.").arg(productId));
    return {};
}

Result<std::optional<qint64>> InventoryStore::findProduct(const QString &sku, const QString &ean)
{
    if (!sku.trimmed().isEmpty()) {
        auto q = runSql(database(), u"SELECT id FROM products WHERE sku = ?"_qs, "match sku", {sku.trimmed()});
        if (!q)
            return q.error();
        if (q->next())
            return std::optional<qint64>(q->value(0).toLongLong());
    }
    // Products keep the EAN as Ean::parse normalises it (digits only); an order may write it with spaces.
    const auto parsedEan = domain::Ean::parse(ean);
    if (parsedEan) {
        auto q = runSql(database(), u"SELECT id FROM products WHERE ean = ? ORDER BY id"_qs, "match ean",
                        {parsedEan->code()});
        if (!q)
            return q.error();
        if (q->next())
            return std::optional<qint64>(q->value(0).toLongLong());
    }
    return std::optional<qint64>();
}

Result<Warehouse> InventoryStore::addWarehouse(const QString &code, const QString &name, bool makeDefault)
{
    const QString c = code.trimmed();
    if (c.isEmpty())
        return makeError(Error::Code::Invalid, tr("A warehouse needs a code."));
    storage::Transaction tx(database(), "add warehouse");
    if (!tx.started())
        return tx.started().error();
    auto existing = runSql(database(), u"SELECT COUNT(*), SUM(CASE WHEN code = ? THEN 1 ELSE 0 END) FROM warehouses"_qs,
                           "find warehouse", {c});
    if (!existing)
        return existing.error();
    existing->next();
    const bool first = existing->value(0).toInt() == 0;
    const bool taken = existing->value(1).toInt() > 0;
    existing->finish();
    if (taken)
        return makeError(Error::Code::Conflict, tr("A warehouse with the code %1 exists already.").arg(c));
    const bool isDefault = makeDefault || first;
    if (isDefault) {
        if (auto r = runSql(database(), u"UPDATE warehouses SET is_default = 0"_qs, "clear default warehouse"); !r)
            return r.error();
    }
    auto q = runSql(
        database(), u"INSERT INTO warehouses (code, name, is_default, created_at) VALUES (?, ?, ?, ?) RETURNING id"_qs,
        "add warehouse",
        {c, name.trimmed().isEmpty() ? c : name.trimmed(), isDefault ? 1 : 0, QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage, tr("The warehouse could not be saved."));
    Warehouse w{q->value(0).toLongLong(), c, name.trimmed().isEmpty() ? c : name.trimmed(), isDefault};
    q->finish();
    if (auto r = tx.commit(); !r)
        return r.error();
    return w;
}

Result<QList<Warehouse>> InventoryStore::warehouses()
{
    auto q =
        runSql(database(), u"SELECT id, code, name, is_default FROM warehouses ORDER BY code"_qs, "list warehouses");
    if (!q)
        return q.error();
    QList<Warehouse> list;
    while (q->next())
        list.append(warehouseFrom(*q));
    return list;
}

Result<Warehouse> InventoryStore::warehouse(const QString &code)
{
    if (code.trimmed().isEmpty())
        return defaultWarehouse();
    auto q = runSql(database(), u"SELECT id, code, name, is_default FROM warehouses WHERE code = ?"_qs,
                    "warehouse by code", {code.trimmed()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no warehouse with the code %1.").arg(code));
    return warehouseFrom(*q);
}

Result<Warehouse> InventoryStore::defaultWarehouse()
{
    auto q = runSql(database(), u"SELECT id, code, name, is_default FROM warehouses ORDER BY is_default DESC, id"_qs,
                    "default warehouse");
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         tr("There is no warehouse yet; add one first (sellerdesk-cli warehouses add CODE NAME)."));
    return warehouseFrom(*q);
}

Result<int> InventoryStore::level(qint64 productId, qint64 warehouseId)
{
    auto q = runSql(database(), u"SELECT quantity FROM stock_levels WHERE product_id = ? AND warehouse_id = ?"_qs,
                    "stock level", {productId, warehouseId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<QString> InventoryStore::nextNumber(DocumentKind kind, int year)
{
    auto q = runSql(database(),
                    u"INSERT INTO stock_series (kind, year, last) VALUES (?, ?, 1) ON CONFLICT (kind, year) "
                    "DO UPDATE SET last = stock_series.last + 1 RETURNING last"_qs,
                    "next document number", {documentCode(kind), year});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage, tr("No document number could be taken."));
    return u"%1/%2/%3"_qs.arg(documentCode(kind)).arg(q->value(0).toLongLong()).arg(year);
}

Result<StockDocument> InventoryStore::post(const DocumentRequest &request)
{
    if (request.lines.isEmpty())
        return makeError(Error::Code::Invalid, tr("A stock document needs at least one line."));
    storage::Transaction tx(database(), "post stock document");
    if (!tx.started())
        return tx.started().error();
    if (!request.sourceKey.isEmpty()) {
        auto existing = runSql(database(), u"SELECT id FROM stock_documents WHERE source_key = ?"_qs,
                               "document by source", {request.sourceKey});
        if (!existing)
            return existing.error();
        if (existing->next()) {
            auto doc = document(existing->value(0).toLongLong());
            if (doc)
                doc->existed = true;
            return doc;
        }
    }
    // Signed changes per (product, warehouse), checked together so two lines cannot pass one by one.
    struct Change
    {
        qint64 productId;
        qint64 warehouseId;
        int delta;
    };
    QList<Change> changes;
    for (const DocumentRequest::Line &line : request.lines) {
        if (request.kind == DocumentKind::StockTaking ? line.quantity < 0 : line.quantity <= 0)
            return makeError(Error::Code::Invalid, tr("A quantity must be a whole number above zero."));
        switch (request.kind) {
        case DocumentKind::Receipt:
            changes.append({line.productId, line.warehouseId, line.quantity});
            break;
        case DocumentKind::Issue:
            changes.append({line.productId, line.warehouseId, -line.quantity});
            break;
        case DocumentKind::Transfer:
            if (!line.toWarehouseId || line.toWarehouseId == line.warehouseId)
                return makeError(Error::Code::Invalid, tr("A transfer needs two different warehouses."));
            changes.append({line.productId, line.warehouseId, -line.quantity});
            changes.append({line.productId, line.toWarehouseId, line.quantity});
            break;
        case DocumentKind::StockTaking: {
            auto current = level(line.productId, line.warehouseId);
            if (!current)
                return current.error();
            if (line.quantity != *current)
                changes.append({line.productId, line.warehouseId, line.quantity - *current});
            break;
        }
        }
    }
    if (changes.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("The counted quantities equal the stock; there is nothing to correct."));
    QHash<QPair<qint64, qint64>, int> after;
    for (const Change &c : std::as_const(changes)) {
        const auto key = qMakePair(c.productId, c.warehouseId);
        if (!after.contains(key)) {
            auto current = level(c.productId, c.warehouseId);
            if (!current)
                return current.error();
            after.insert(key, *current);
        }
        after[key] += c.delta;
        if (after.value(key) < 0) {
            auto product = productById(c.productId);
            auto warehouse =
                runSql(database(), u"SELECT code FROM warehouses WHERE id = ?"_qs, "warehouse code", {c.warehouseId});
            const QString code = warehouse && warehouse->next() ? warehouse->value(0).toString() : QString();
            return makeError(Error::Code::Invalid,
                             tr("Not enough stock of %1 in the warehouse %2: %3 in stock, %4 to take out. Nothing "
                                "was written.")
                                 .arg(product ? product->sku : QString::number(c.productId), code)
                                 .arg(after.value(key) - c.delta)
                                 .arg(-c.delta));
        }
    }
    const QDate date = request.date.isValid() ? request.date : QDate::currentDate();
    auto number = nextNumber(request.kind, date.year());
    if (!number)
        return number.error();
    auto header =
        runSql(database(),
               u"INSERT INTO stock_documents (kind, number, doc_date, author, note, order_id, source_key, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
               "insert stock document",
               {documentCode(request.kind), *number, date.toString(Qt::ISODate), request.author, request.note,
                nullableId(request.orderId),
                request.sourceKey.isEmpty() ? QVariant(QMetaType::fromType<qint64>()) : QVariant(request.sourceKey),
                QDateTime::currentMSecsSinceEpoch()});
    if (!header)
        return header.error();
    if (!header->next())
        return makeError(Error::Code::Storage, tr("The stock document could not be saved."));
    const qint64 documentId = header->value(0).toLongLong();
    header->finish();
    int position = 0;
    QJsonArray productIds;
    for (const Change &c : std::as_const(changes)) {
        if (auto r = runSql(database(),
                            u"INSERT INTO stock_lines (document_id, position, product_id, warehouse_id, quantity) "
                            "VALUES (?, ?, ?, ?, ?)"_qs,
                            "insert stock line", {documentId, ++position, c.productId, c.warehouseId, c.delta});
            !r)
            return r.error();
        // Two statements: the CHECK applies to an upsert's proposed row too, which may be the negative change.
        if (auto r = runSql(database(),
                            u"INSERT INTO stock_levels (product_id, warehouse_id, quantity) VALUES (?, ?, 0) "
                            "ON CONFLICT (product_id, warehouse_id) DO NOTHING"_qs,
                            "add stock level", {c.productId, c.warehouseId});
            !r)
            return r.error();
        if (auto r =
                runSql(database(),
                       u"UPDATE stock_levels SET quantity = quantity + ? WHERE product_id = ? AND warehouse_id = ?"_qs,
                       "update stock level", {c.delta, c.productId, c.warehouseId});
            !r)
            return r.error();
        if (!productIds.contains(c.productId))
            productIds.append(c.productId);
    }
    const QJsonObject payload{{u"document"_qs, documentId},
                              {u"kind"_qs, documentCode(request.kind)},
                              {u"number"_qs, *number},
                              {u"products"_qs, productIds}};
    if (auto e = m_orders.recordEvent(EventType::kStockChanged, request.orderId, payload, {request.author, *number, 0});
        !e)
        return e.error();
    if (auto r = StockSync::request(m_orders.sharedDatabase()); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return document(documentId);
}

Result<StockDocument> InventoryStore::postSingle(DocumentKind kind, const QString &sku, int quantity,
                                                 const QString &warehouse, const QString &to, const QString &author)
{
    auto p = product(sku);
    if (!p)
        return p.error();
    auto w = this->warehouse(warehouse);
    if (!w)
        return w.error();
    DocumentRequest request;
    request.kind = kind;
    request.author = author;
    DocumentRequest::Line line{p->id, w->id, 0, quantity};
    if (kind == DocumentKind::Transfer) {
        if (to.trimmed().isEmpty())
            return makeError(Error::Code::Invalid, tr("A transfer needs the warehouse to move the stock to."));
        auto target = this->warehouse(to);
        if (!target)
            return target.error();
        line.toWarehouseId = target->id;
    }
    request.lines.append(line);
    return post(request);
}

Result<StockDocument> InventoryStore::receive(const QString &sku, int quantity, const QString &warehouse,
                                              const QString &author)
{
    return postSingle(DocumentKind::Receipt, sku, quantity, warehouse, {}, author);
}

Result<StockDocument> InventoryStore::issue(const QString &sku, int quantity, const QString &warehouse,
                                            const QString &author)
{
    return postSingle(DocumentKind::Issue, sku, quantity, warehouse, {}, author);
}

Result<StockDocument> InventoryStore::transfer(const QString &sku, int quantity, const QString &from, const QString &to,
                                               const QString &author)
{
    return postSingle(DocumentKind::Transfer, sku, quantity, from, to, author);
}

Result<StockDocument> InventoryStore::countStock(const QString &sku, int counted, const QString &warehouse,
                                                 const QString &author)
{
    return postSingle(DocumentKind::StockTaking, sku, counted, warehouse, {}, author);
}

Result<ProductStock> InventoryStore::stock(qint64 productId)
{
    auto p = productById(productId);
    if (!p)
        return p.error();
    ProductStock s;
    s.product = *p;
    auto q = runSql(database(),
                    u"SELECT w.id, w.code, COALESCE(l.quantity, 0) FROM warehouses w LEFT JOIN stock_levels l "
                    "ON l.warehouse_id = w.id AND l.product_id = ? ORDER BY w.code"_qs,
                    "product stock", {productId});
    if (!q)
        return q.error();
    while (q->next()) {
        s.warehouses.append({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toInt()});
        s.total += q->value(2).toInt();
    }
    auto r = reserved(productId);
    if (!r)
        return r.error();
    s.reserved = *r;
    return s;
}

Result<ProductStock> InventoryStore::stockOf(const QString &sku)
{
    auto p = product(sku);
    if (!p)
        return p.error();
    return stock(p->id);
}

Result<int> InventoryStore::totalStock(qint64 productId)
{
    auto q = runSql(database(), u"SELECT COALESCE(SUM(quantity), 0) FROM stock_levels WHERE product_id = ?"_qs,
                    "total stock", {productId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<int> InventoryStore::reserved(qint64 productId, qint64 exceptOrderId)
{
    auto q =
        runSql(database(),
               u"SELECT COALESCE(SUM(quantity), 0) FROM stock_reservations WHERE product_id = ? AND order_id <> ?"_qs,
               "reserved stock", {productId, exceptOrderId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<StockDocument> InventoryStore::document(qint64 id)
{
    auto q = runSql(database(),
                    u"SELECT id, kind, number, doc_date, author, note, order_id FROM stock_documents WHERE id = ?"_qs,
                    "stock document", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no stock document with the id %1.").arg(id));
    StockDocument d;
    d.id = q->value(0).toLongLong();
    d.kind = documentKindFromCode(q->value(1).toString()).value_or(DocumentKind::Receipt);
    d.number = q->value(2).toString();
    d.date = QDate::fromString(q->value(3).toString(), Qt::ISODate);
    d.author = q->value(4).toString();
    d.note = q->value(5).toString();
    d.orderId = q->value(6).toLongLong();
    auto lines = runSql(database(),
                        u"SELECT l.product_id, p.sku, l.warehouse_id, w.code, l.quantity FROM stock_lines l "
                        "JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id "
                        "WHERE l.document_id = ? ORDER BY l.position"_qs,
                        "stock document lines", {id});
    if (!lines)
        return lines.error();
    while (lines->next())
        d.lines.append({lines->value(0).toLongLong(), lines->value(1).toString(), lines->value(2).toLongLong(),
                        lines->value(3).toString(), lines->value(4).toInt()});
    return d;
}

Result<QList<StockDocument>> InventoryStore::documents(int limit)
{
    auto q = runSql(database(), u"SELECT id FROM stock_documents ORDER BY id DESC LIMIT ?"_qs, "list stock documents",
                    {limit});
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    QList<StockDocument> list;
    for (qint64 id : ids) {
        auto d = document(id);
        if (!d)
            return d.error();
        list.append(*d);
    }
    return list;
}

} // namespace sd::inventory
