#pragma once

#include "devices/labels/courier.h"
#include "marketplace/allegro/httptransport.h"

#include <QJsonObject>
#include <QUrl>

namespace sd::devices::labels {

struct ShipXAccount
{
    QUrl baseUrl; // https://api-shipx-pl.easypack24.net, the sandbox, or the training fake on 127.0.0.1
    QString organizationId;
    QByteArray token; // from the SecretStore, never stored elsewhere
    QString sendingMethod = u"dispatch_order"_qs;
};

// InPost ShipX: POST /v1/organizations/{org}/shipments (locker service with the buyer's point, else courier with
// the parcel's dimensions), poll GET /v1/shipments/{id} until "confirmed" with a tracking number, then
// GET /v1/shipments/{id}/label?format=pdf|zpl&type=A6. Errors {error, message, details} become one readable line.
class ShipXClient : public Courier
{
public:
    explicit ShipXClient(ShipXAccount account);

    QString name() const override { return u"inpost"_qs; }
    Result<CourierLabel> createLabel(const domain::Order &order, const Parcel &parcel, LabelDocument::Format format,
                                     const QString &commandKey) override;

    QJsonObject shipmentBody(const domain::Order &order, const Parcel &parcel) const;
    void setTimeScale(double scale) { m_timeScale = scale; }
    void setPollLimit(int polls) { m_pollLimit = polls; }
    void setObserver(marketplace::HttpExchangeObserver observer) { m_transport.setObserver(std::move(observer)); }
    // "ul. Długa 12/3" -> ("ul. Długa", "12/3"): ShipX wants the building number apart.
    static std::pair<QString, QString> splitStreet(const QString &street);

private:
    Result<marketplace::allegro::HttpResponse> send(const QByteArray &method, const QString &path,
                                                    const QByteArray &body = {}, const QString &query = {});

    ShipXAccount m_account;
    marketplace::allegro::HttpTransport m_transport;
    double m_timeScale = 1.0;
    int m_pollLimit = 60;
};

} // namespace sd::devices::labels
