#pragma once

#include "domain/address.h"
#include "domain/money.h"
#include "domain/vatrate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace sd::domain {

enum class PaymentStatus { Unpaid, Paid, PartiallyPaid, Overpaid, Refunded };
QString paymentStatusKey(PaymentStatus status);
std::optional<PaymentStatus> paymentStatusFromKey(QStringView key);

struct Buyer
{
    QString externalId; // the marketplace's buyer id
    QString login;
    QString email;
    QString firstName;
    QString lastName;
    QString companyName;
    QString nip;
    QString phone;
    bool guest = false;
    QString language; // e.g. pl-PL, used to choose message templates

    QString displayName() const;
    bool operator==(const Buyer &) const = default;
};

struct Delivery
{
    QString methodId;
    QString methodName;
    Address address;
    PickupPoint pickupPoint;
    Money cost;
    bool operator==(const Delivery &) const = default;
};

// The payment methods (F2): Allegro's kinds plus cash at the counter and a company purchase (a business buyer paying
// on an invoice's term) for manual and web-shop orders.
namespace PaymentMethodKey {
inline constexpr char kOnline[] = "ONLINE";
inline constexpr char kCashOnDelivery[] = "CASH_ON_DELIVERY";
inline constexpr char kTransfer[] = "WIRE_TRANSFER";
inline constexpr char kSplitPayment[] = "SPLIT_PAYMENT";
inline constexpr char kExtendedTerm[] = "EXTENDED_TERM";
inline constexpr char kCash[] = "CASH";
inline constexpr char kCompanyPurchase[] = "COMPANY_PURCHASE";
} // namespace PaymentMethodKey
// Every method above, in the order lists offer them.
QStringList paymentMethodKeys();

struct Payment
{
    // One of PaymentMethodKey; "" if none.
    QString method;
    QString provider;
    QString externalId;
    PaymentStatus status = PaymentStatus::Unpaid;
    Money paidAmount;
    QDateTime finishedAt;

    bool isCashOnDelivery() const { return method == u"CASH_ON_DELIVERY"; }
    bool operator==(const Payment &) const = default;
};

struct InvoiceRequest
{
    bool wanted = false;
    QString companyName;
    QString nip;
    QString vatPayerStatus;
    Address address; // a natural person's invoice has first/last name here and no company
    bool operator==(const InvoiceRequest &) const = default;
};

struct LineItem
{
    QString externalId; // the marketplace's line item id
    QString offerId;
    QString name;
    QString sku;
    QString ean;
    int quantity = 1;
    Money unitPrice;
    Money originalPrice;
    VatRate vatRate;

    Money total() const { return unitPrice * quantity; }
    bool operator==(const LineItem &) const = default;
};

// A surcharge (positive) or discount (negative) on the whole order.
struct Adjustment
{
    QString kind; // "surcharge", "discount", "service"
    QString description;
    Money amount;
    bool operator==(const Adjustment &) const = default;
};

// A parcel sent for the order, as the carrier's tracking last reported it. Part of the aggregate so a new tracking
// status is an order change like any other (history, events, automation triggers).
struct Shipment
{
    QString carrierId; // INPOST, DPD, ...
    QString waybill;
    QString status; // the carrier's last tracking code (PENDING, IN_TRANSIT, DELIVERED, ...); "" before the first
    // The barcode printed on the label when it is not the tracking number (Allegro's own package waybill); "" when
    // there is no label of ours or it carries the tracking number. Written to fields and JSON only when set.
    QString labelBarcode;
    bool operator==(const Shipment &) const = default;
};

// The order aggregate. Pure data plus validation; storage lives in storage::OrderStore.
struct Order
{
    static constexpr int kMaxReferrers = 10;

    qint64 id = 0;             // internal id, 0 until stored
    QString marketplace;       // "allegro-pl", "manual", ...
    QString account;           // the marketplace account (seller login or id)
    QString externalId;        // the marketplace's order id (checkout form id)
    QString revision;          // the marketplace's revision of that order
    QString marketplaceStatus; // BOUGHT, FILLED_IN, READY_FOR_PROCESSING, CANCELLED
    QString fulfillmentStatus; // NEW, PROCESSING, SENT, ...
    QString status;            // the seller's own status (a statuses row, by name)

    Buyer buyer;
    Delivery delivery;
    Payment payment;
    InvoiceRequest invoice;
    QList<LineItem> items;
    QList<Adjustment> adjustments;
    QList<Shipment> shipments; // the seller's parcels, in the order they were added
    Money total;               // what the buyer pays: items + delivery + adjustments

    QString buyerComment;
    QString notes;
    QStringList referrers;
    QStringList tags;

    QDateTime createdAt;            // when the buyer bought
    QDateTime updatedAt;            // last local change
    QDateTime marketplaceUpdatedAt; // the marketplace's updatedAt
    // Set by the order store when a change moves the status / first ships the order (a parcel, or the marketplace
    // says sent); invalid before that. Kept in the stored document, not in fields() (no history rows of their own)
    // nor the export; the automation's "since the last status change / since shipment" conditions read them.
    QDateTime statusChangedAt;
    QDateTime shippedAt;

    Money itemsTotal() const;
    Money computedTotal() const;
    QString currency() const { return total.currency(); }
    int itemCount() const;
    // A parcel was added, or the marketplace's fulfillment says it left (SENT, PICKED_UP, READY_FOR_PICKUP).
    bool isShipped() const;

    Result<void> validate() const;

    // Every field flattened to "path" -> text, in a stable order: the unit of the change history.
    QList<QPair<QString, QString>> fields() const;

    // Complete JSON: every field, amounts as decimal strings, times as ISO-8601 UTC.
    QJsonObject toJson() const;
    // Details leaves out what an order store keeps in its own columns beside the document: identity and revision,
    // the statuses, buyer login and e-mail, payment method and status, delivery method name, total, times, and
    // each item's offer, name, SKU, EAN, quantity and unit price (an item keeps its place in the list). The store
    // puts them back from its columns after fromJson; storing them twice only made every order bigger.
    enum class JsonFields { All, Details };
    // The same document as UTF-8 JSON text with empty fields left out: the stored form, written directly
    // (building a QJsonObject first costs more than the database insert). fromJson reads both.
    QByteArray toCompactJson(JsonFields fields = JsonFields::All) const;
    // The same, appended to out (a caller writing many orders reuses one buffer).
    void appendCompactJson(QByteArray &out, JsonFields fields = JsonFields::All) const;
    static Result<Order> fromJson(const QJsonObject &json);

    bool operator==(const Order &) const = default;
};

} // namespace sd::domain
