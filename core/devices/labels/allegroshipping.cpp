#include "devices/labels/allegroshipping.h"

#include "marketplace/allegro/selleractions.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace sd::devices::labels {

namespace {

QJsonObject value(double v, const char *unit)
{
    return {{u"value"_qs, v}, {u"unit"_qs, QString::fromLatin1(unit)}};
}

} // namespace

AllegroShipping::AllegroShipping(marketplace::allegro::AllegroClient &client, Sender sender)
    : m_client(client)
    , m_sender(std::move(sender))
{}

QJsonObject AllegroShipping::shipmentInput(const domain::Order &order, const Parcel &parcel,
                                           LabelDocument::Format format) const
{
    const domain::Address &a = order.delivery.address;
    QJsonObject receiver{{u"name"_qs, receiverName(order)},
                         {u"street"_qs, a.street},
                         {u"postalCode"_qs, a.postCode},
                         {u"city"_qs, a.city},
                         {u"countryCode"_qs, a.countryCode.isEmpty() ? u"PL"_qs : a.countryCode},
                         {u"email"_qs, order.buyer.email}, // Allegro's masked address (…@allegromail.pl)
                         {u"phone"_qs, a.phone.isEmpty() ? order.buyer.phone : a.phone}};
    if (!a.companyName.isEmpty())
        receiver.insert(u"company"_qs, a.companyName);
    if (!order.delivery.pickupPoint.isEmpty()) {
        receiver.insert(u"point"_qs, order.delivery.pickupPoint.id);
        if (a.street.isEmpty()) {
            // A locker delivery has no street address of the buyer; the point's address stands in.
            const domain::Address &p = order.delivery.pickupPoint.address;
            receiver.insert(u"street"_qs, p.street);
            receiver.insert(u"postalCode"_qs, p.postCode);
            receiver.insert(u"city"_qs, p.city);
        }
    }
    const QJsonObject sender{{u"name"_qs, m_sender.name},
                             {u"street"_qs, m_sender.street},
                             {u"postalCode"_qs, m_sender.postalCode},
                             {u"city"_qs, m_sender.city},
                             {u"countryCode"_qs, m_sender.countryCode},
                             {u"email"_qs, m_sender.email},
                             {u"phone"_qs, m_sender.phone}};
    const QJsonObject package{{u"type"_qs, u"PACKAGE"_qs},
                              {u"length"_qs, value(parcel.lengthCm, "CENTIMETER")},
                              {u"width"_qs, value(parcel.widthCm, "CENTIMETER")},
                              {u"height"_qs, value(parcel.heightCm, "CENTIMETER")},
                              {u"weight"_qs, value(parcel.weightKg, "KILOGRAMS")}};
    return {{u"deliveryMethodId"_qs, order.delivery.methodId},
            {u"sender"_qs, sender},
            {u"receiver"_qs, receiver},
            {u"referenceNumber"_qs, order.externalId},
            {u"packages"_qs, QJsonArray{package}},
            {u"labelFormat"_qs, LabelDocument::formatName(format)}};
}

Result<CourierLabel> AllegroShipping::createLabel(const domain::Order &order, const Parcel &parcel,
                                                  LabelDocument::Format format, const QString &commandKey)
{
    if (order.delivery.methodId.isEmpty())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate(
                "sd::labels", "The order has no Allegro delivery method, so \"Wysyłam z Allegro\" cannot ship it."));
    const QString commandId = marketplace::allegro::SellerActions::commandIdFor(commandKey);
    const QJsonObject command{{u"commandId"_qs, commandId}, {u"input"_qs, shipmentInput(order, parcel, format)}};
    auto sent = m_client.sendJson("POST", u"/shipment-management/shipments/create-commands"_qs, command);
    if (!sent)
        return sent.error();
    const QString statusPath = u"/shipment-management/shipments/create-commands/"_qs + commandId;
    qint64 retryAfterS = qMax<qint64>(1, sent->header("Retry-After").trimmed().toLongLong());
    QString shipmentId;
    for (int poll = 0; poll < m_pollLimit; ++poll) {
        waitMs(qint64(double(retryAfterS) * 1000 * m_timeScale));
        auto response = m_client.call("GET", statusPath);
        if (!response)
            return response.error();
        const QJsonObject status = response->json();
        const QString state = status.value(u"status").toString();
        if (state == u"SUCCESS") {
            shipmentId = status.value(u"shipmentId").toString();
            break;
        }
        if (state == u"ERROR") {
            const QJsonObject first = status.value(u"errors").toArray().first().toObject();
            const QString message = first.value(u"userMessage").toString(first.value(u"message").toString());
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::labels", "Allegro did not create the shipment: %1").arg(message),
                QString::fromUtf8(response->body));
        }
        if (const qint64 next = response->header("Retry-After").trimmed().toLongLong(); next > 0)
            retryAfterS = next;
    }
    if (shipmentId.isEmpty())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::labels",
                                                     "Allegro has not created the shipment yet; try again in a while."),
                         statusPath);
    auto shipment = m_client.getJson(u"/shipment-management/shipments/"_qs + shipmentId);
    if (!shipment)
        return shipment.error();
    CourierLabel label;
    label.courier = name();
    label.shipmentId = shipmentId;
    const QJsonObject package = shipment->value(u"packages").toArray().first().toObject();
    const QJsonObject transport = package.value(u"transportingInfo").toArray().first().toObject();
    label.carrierId = transport.value(u"carrierId").toString(shipment->value(u"carrier").toString());
    label.trackingNumber = transport.value(u"carrierWaybill").toString(package.value(u"waybill").toString());
    const QString waybill = package.value(u"waybill").toString();
    if (waybill != label.trackingNumber)
        label.labelBarcode = waybill;
    if (label.trackingNumber.isEmpty())
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::labels", "Allegro created the shipment but sent no tracking number."),
            QString::fromUtf8(QJsonDocument(*shipment).toJson(QJsonDocument::Compact)));
    const QJsonObject labelRequest{{u"shipmentIds"_qs, QJsonArray{shipmentId}}, {u"pageSize"_qs, u"A6"_qs}};
    auto file = m_client.call("POST", u"/shipment-management/label"_qs, {},
                              QJsonDocument(labelRequest).toJson(QJsonDocument::Compact),
                              marketplace::allegro::AllegroClient::Media::File);
    if (!file)
        return file.error();
    if (file->status == 204 || file->body.isEmpty())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::labels", "Allegro has no label for this shipment yet."),
                         shipmentId);
    label.document.format = file->body.startsWith("%PDF") ? LabelDocument::Format::Pdf : LabelDocument::Format::Zpl;
    label.document.data = file->body;
    return label;
}

} // namespace sd::devices::labels
