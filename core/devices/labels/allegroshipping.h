#pragma once

#include "devices/labels/courier.h"
#include "devices/labels/zpltemplates.h"
#include "marketplace/allegro/allegroclient.h"

namespace sd::devices::labels {

// "Wysyłam z Allegro": POST /shipment-management/shipments/create-commands with a command id derived from the
// label's ledger key (a repeat is recognised), poll the command until SUCCESS, read the shipment (package waybill =
// the label's barcode, transportingInfo carrierWaybill = the carrier's tracking number), then POST
// /shipment-management/label for the file (PDF in A6, or ZPL when the shipment was created with labelFormat ZPL).
class AllegroShipping : public Courier
{
public:
    AllegroShipping(marketplace::allegro::AllegroClient &client, Sender sender);

    QString name() const override { return u"allegro"_qs; }
    Result<CourierLabel> createLabel(const domain::Order &order, const Parcel &parcel, LabelDocument::Format format,
                                     const QString &commandKey) override;

    // The create command's input for an order, as the OpenAPI's ShipmentCreateRequestDto.
    QJsonObject shipmentInput(const domain::Order &order, const Parcel &parcel, LabelDocument::Format format) const;
    void setPollLimit(int polls) { m_pollLimit = polls; }
    void setTimeScale(double scale) { m_timeScale = scale; } // tests shrink every wait between polls

private:
    marketplace::allegro::AllegroClient &m_client;
    Sender m_sender;
    int m_pollLimit = 60;
    double m_timeScale = 1.0;
};

} // namespace sd::devices::labels
