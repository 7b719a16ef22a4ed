#pragma once

#include "storage/database.h"

#include <QCoreApplication>

#include <memory>

namespace sd::scanning {

// What a scanned code is, found in the local database only (a scan never waits on the network).
struct ScanTarget
{
    enum class Kind { Unknown, Order, Product, Command };
    // How it matched: the order's own id, its marketplace id, a parcel's tracking number, the courier label's own
    // barcode, a product's EAN or SKU, a command barcode.
    enum class Match { None, OrderId, ExternalId, TrackingNumber, LabelBarcode, Ean, Sku, Command };
    Kind kind = Kind::Unknown;
    Match match = Match::None;
    QString code;
    qint64 orderId = 0;
    qint64 productId = 0;
    qint64 ruleId = 0;

    // "tracking number", "EAN", ... translated, for the scanner settings' test field and the status bar.
    QString describe() const;
};

struct ScanCommand
{
    QString code;
    qint64 ruleId = 0;
    QString ruleName;
};

// Order of the questions, cheapest and least ambiguous first: a command barcode (the seller printed it on purpose),
// a label barcode or tracking number, a product's EAN or SKU, a marketplace id, the order's own number (digits, or
// "#" and digits). Each is one indexed lookup.
class CodeClassifier
{
    Q_DECLARE_TR_FUNCTIONS(CodeClassifier)

public:
    explicit CodeClassifier(std::shared_ptr<storage::Database> db);

    Result<ScanTarget> classify(const QString &code);

    // Command barcodes: a code that runs a manual rule when scanned.
    Result<void> addCommand(const QString &code, qint64 ruleId);
    Result<void> removeCommand(const QString &code);
    Result<QList<ScanCommand>> commands();

private:
    Result<std::optional<qint64>> first(const char *key, const QString &sql, const QVariant &value);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::scanning
