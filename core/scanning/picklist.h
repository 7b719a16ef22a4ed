#pragma once

#include "storage/database.h"

#include <QCoreApplication>

namespace sd::scanning {

// What to fetch from the shelves for a set of orders: one row per product (by SKU, else by the line's name), with
// its shelf location, the units wanted and in how many orders; sorted by location so the walk is one pass.
struct PickRow
{
    QString location;
    QString sku;
    QString ean;
    QString name;
    int quantity = 0;
    int orders = 0;
};

class PickList
{
    Q_DECLARE_TR_FUNCTIONS(PickList)

public:
    static Result<QList<PickRow>> forOrders(storage::Database &db, const QList<qint64> &orderIds);
    static Result<QList<PickRow>> forStatus(storage::Database &db, const QString &status);
    // A4 pages with a barcode per row (the product's EAN-13, else its SKU as Code 128) to scan while picking.
    static Result<QByteArray> pdf(const QList<PickRow> &rows, const QString &title);

private:
    static Result<QList<PickRow>> run(storage::Database &db, const QString &where, const QVariantList &values);
};

} // namespace sd::scanning
