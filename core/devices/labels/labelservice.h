#pragma once

#include "devices/labels/courier.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"

#include <optional>

namespace sd::devices::labels {

inline constexpr char kLabelGenerated[] = "label.generated";

// A label stored with its shipment (order_shipments, schema 15).
struct StoredLabel
{
    qint64 shipmentRowId = 0;
    qint64 orderId = 0;
    QString courier;
    QString carrierId;
    QString shipmentId;
    QString trackingNumber;
    QString labelBarcode;
    LabelDocument document;
};

struct LabelOutcome
{
    StoredLabel label;
    bool alreadyDone = false; // an earlier call with the same key made it; the courier was not asked again
};

// Makes a courier label for an order, once per ledger key: the claim comes first, then the courier's API, then in
// one transaction the order_shipments row (tracking number, label barcode, the label file), the order change
// (Order::shipments, with its history rows) and the `label.generated` event, and the ledger entry marked done. A
// failure marks the entry failed, so the next call with the key tries again; a claim left pending by a crash
// stays for a person to look at (the courier may have made the shipment).
class LabelService
{
public:
    LabelService(storage::OrderStore &store, storage::ActionLedger &ledger, QString owner);

    // The key an operator's "generate label" uses: one label per order and courier.
    static QString operatorKey(qint64 orderId, const QString &courier);

    Result<LabelOutcome> generate(qint64 orderId, Courier &courier, const Parcel &parcel, LabelDocument::Format format,
                                  const QString &key, const storage::ChangeContext &context);
    // The newest label stored for the order; nullopt when it has none.
    Result<std::optional<StoredLabel>> latest(qint64 orderId);
    Result<std::optional<StoredLabel>> byRow(qint64 shipmentRowId);

private:
    Result<std::optional<StoredLabel>> select(const QString &where, const QVariant &value);

    storage::OrderStore &m_store;
    storage::ActionLedger &m_ledger;
    QString m_owner;
};

} // namespace sd::devices::labels
