#pragma once

#include "domain/money.h"
#include "storage/database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <memory>

namespace sd::marketplace::allegro {

// A parcel sent for an order (added here or found at Allegro), followed by carrier tracking until delivered.
struct Shipment
{
    qint64 id = 0;
    qint64 orderId = 0;
    qint64 accountId = 0;
    QString carrierId;
    QString carrierName;
    QString waybill;
    QString externalId; // Allegro's shipment id
    QString trackingStatus;
    QDateTime trackingUpdatedAt;
    bool closed = false; // delivered or returned: no longer polled
    QDateTime createdAt;
};

struct BillingEntry
{
    QString id;
    qint64 orderId = 0;
    QString typeId;   // "SUC", "LIS", ...
    QString typeName; // as Allegro named it
    domain::Money value;
    QDateTime occurredAt;
};

struct RefundRecord
{
    enum class Kind { Payment, Commission };
    qint64 id = 0;
    Kind kind = Kind::Payment;
    qint64 accountId = 0;
    qint64 orderId = 0;
    QString commandId;  // payment refund: the commandId sent; commission claim: the ledger key
    QString lineItemId; // commission claim
    QString externalId; // Allegro's refund or claim id
    QString status;
    QDateTime createdAt;
};

// Local copies of what the Allegro client learned besides orders: shipments with tracking, billing entries
// (fees per order, for profit), the offers list, Message Center threads, refunds and commission claims.
// Orders themselves change only through OrderStore.
class AllegroRecords
{
public:
    explicit AllegroRecords(std::shared_ptr<storage::Database> db);

    Result<Shipment> addShipment(Shipment shipment);
    Result<QList<Shipment>> shipments(qint64 orderId);
    Result<QList<Shipment>> openShipments(qint64 accountId);
    Result<void> setTracking(qint64 shipmentId, const QString &status, bool closed);

    // Replaces the order's entries with these (idempotent: the same download twice stores them once).
    Result<void> storeBilling(qint64 accountId, qint64 orderId, const QList<BillingEntry> &entries);
    Result<QList<BillingEntry>> billing(qint64 orderId);

    Result<void> storeOffers(qint64 accountId, const QJsonArray &offers);
    Result<int> offerCount(qint64 accountId);
    Result<void> storeThreads(qint64 accountId, const QJsonArray &threads);
    Result<int> threadCount(qint64 accountId);

    Result<void> storeRefund(const RefundRecord &refund);
    Result<QList<RefundRecord>> refunds(qint64 orderId);

    // For callers that write a record and an order change in one transaction.
    storage::Database &database() { return *m_db; }

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::marketplace::allegro
