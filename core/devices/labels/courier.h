#pragma once

#include "devices/labels/labeldocument.h"
#include "domain/order.h"
#include "util/result.h"

#include <QString>

namespace sd::devices::labels {

// What goes in the parcel: one package of these dimensions and weight (the seller's default parcel unless the
// operator says otherwise), and the locker size for InPost lockers.
struct Parcel
{
    double lengthCm = 30;
    double widthCm = 20;
    double heightCm = 10;
    double weightKg = 1;
    QString lockerTemplate = u"small"_qs; // small | medium | large (ShipX lockers, A/B/C)
};

// The label a courier made for one order's shipment.
struct CourierLabel
{
    QString courier;        // "allegro" or "inpost"
    QString carrierId;      // INPOST, DPD, ALLEGRO, ... as tracking and Allegro's shipments name it
    QString shipmentId;     // the courier API's shipment id
    QString trackingNumber; // what the buyer tracks
    QString labelBarcode;   // the barcode on the label when it is not the tracking number; else empty
    LabelDocument document;
};

// One courier API: create the shipment from the order's parcel data, wait until it is ready, fetch its label.
// `commandKey` is the ActionLedger key of the label: a courier that takes a client-chosen id derives it from the key,
// so a retry after a lost answer does not create a second shipment.
class Courier
{
public:
    virtual ~Courier() = default;
    virtual QString name() const = 0; // "allegro" / "inpost"
    virtual Result<CourierLabel> createLabel(const domain::Order &order, const Parcel &parcel,
                                             LabelDocument::Format format, const QString &commandKey) = 0;
};

// Waits `ms` in a local event loop (HTTP servers in the same thread keep answering), a thousandth with tests' scale.
void waitMs(qint64 ms);
// The receiver's name and address lines as couriers want them.
QString receiverName(const domain::Order &order);

} // namespace sd::devices::labels
