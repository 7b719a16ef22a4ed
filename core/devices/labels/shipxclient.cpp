#include "devices/labels/shipxclient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace sd::devices::labels {

namespace {

// {error, message, details{field: [...]}} as one line for the operator.
QString shipxMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    QString text = o.value(u"message").toString(o.value(u"error").toString());
    const QJsonObject details = o.value(u"details").toObject();
    QStringList parts;
    for (auto it = details.begin(); it != details.end(); ++it) {
        QStringList reasons;
        const QJsonValue v = it.value();
        if (v.isArray())
            for (const QJsonValue &r : v.toArray())
                reasons << (r.isString()
                                ? r.toString()
                                : QString::fromUtf8(QJsonDocument(r.toObject()).toJson(QJsonDocument::Compact)));
        else
            reasons << v.toVariant().toString();
        parts << it.key() + u": " + reasons.join(u", ");
    }
    if (!parts.isEmpty())
        text += u" (" + parts.join(u"; ") + u')';
    return text.isEmpty() ? QString::fromUtf8(body.left(200)) : text;
}

} // namespace

ShipXClient::ShipXClient(ShipXAccount account)
    : m_account(std::move(account))
{}

std::pair<QString, QString> ShipXClient::splitStreet(const QString &street)
{
    static const QRegularExpression number(u"^(.*\\S)\\s+(\\d+[A-Za-z]?(?:\\s*[/m]\\s*\\d+[A-Za-z]?)?)$"_qs);
    const auto match = number.match(street.trimmed());
    if (!match.hasMatch())
        return {street.trimmed(), QString()};
    return {match.captured(1), match.captured(2).remove(u' ')};
}

QJsonObject ShipXClient::shipmentBody(const domain::Order &order, const Parcel &parcel) const
{
    const domain::Address &a = order.delivery.address;
    const auto [street, building] = splitStreet(a.street);
    QJsonObject receiver{{u"first_name"_qs, a.firstName.isEmpty() ? order.buyer.firstName : a.firstName},
                         {u"last_name"_qs, a.lastName.isEmpty() ? order.buyer.lastName : a.lastName},
                         {u"email"_qs, order.buyer.email},
                         {u"phone"_qs, a.phone.isEmpty() ? order.buyer.phone : a.phone}};
    if (!a.companyName.isEmpty())
        receiver.insert(u"company_name"_qs, a.companyName);
    QJsonObject body{{u"receiver"_qs, receiver},
                     {u"reference"_qs, order.externalId.isEmpty() ? QString::number(order.id) : order.externalId}};
    QJsonObject attributes{{u"sending_method"_qs, m_account.sendingMethod}};
    if (!order.delivery.pickupPoint.isEmpty()) {
        body.insert(u"service"_qs, u"inpost_locker_standard"_qs);
        attributes.insert(u"target_point"_qs, order.delivery.pickupPoint.id);
        body.insert(u"parcels"_qs, QJsonArray{QJsonObject{{u"template"_qs, parcel.lockerTemplate}}});
    } else {
        body.insert(u"service"_qs, u"inpost_courier_standard"_qs);
        receiver.insert(u"address"_qs,
                        QJsonObject{{u"street"_qs, street},
                                    {u"building_number"_qs, building},
                                    {u"city"_qs, a.city},
                                    {u"post_code"_qs, a.postCode},
                                    {u"country_code"_qs, a.countryCode.isEmpty() ? u"PL"_qs : a.countryCode}});
        body.insert(u"receiver"_qs, receiver);
        const QJsonObject dimensions{{u"length"_qs, parcel.lengthCm * 10},
                                     {u"width"_qs, parcel.widthCm * 10},
                                     {u"height"_qs, parcel.heightCm * 10},
                                     {u"unit"_qs, u"mm"_qs}};
        body.insert(
            u"parcels"_qs,
            QJsonArray{QJsonObject{{u"dimensions"_qs, dimensions},
                                   {u"weight"_qs, QJsonObject{{u"amount"_qs, parcel.weightKg}, {u"unit"_qs, u"kg"_qs}}},
                                   {u"is_non_standard"_qs, false}}});
    }
    body.insert(u"custom_attributes"_qs, attributes);
    return body;
}

Result<marketplace::allegro::HttpResponse> ShipXClient::send(const QByteArray &method, const QString &path,
                                                             const QByteArray &body, const QString &query)
{
    marketplace::allegro::HttpRequest request;
    request.method = method;
    QUrl url = m_account.baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    if (!query.isEmpty())
        url.setQuery(query);
    request.url = url;
    request.body = body;
    request.headers = {{"Authorization", "Bearer " + m_account.token}};
    if (!body.isEmpty())
        request.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    const auto response = m_transport.send(request);
    const QString what = QString::fromLatin1(method) + u' ' + path;
    if (response.status == 0)
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::labels", "InPost cannot be reached: %1").arg(response.networkError), what);
    if (response.status == 401 || response.status == 403)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::labels", "InPost refused the API token; check the ShipX token and organization."),
                         what + u": " + QString::fromUtf8(response.body.left(300)));
    if (response.status >= 400)
        return makeError(response.status >= 500 ? Error::Code::Io : Error::Code::Invalid,
                         QCoreApplication::translate("sd::labels", "InPost refused the request: %1")
                             .arg(shipxMessage(response.body)),
                         what + u" -> " + QString::number(response.status));
    return response;
}

Result<CourierLabel> ShipXClient::createLabel(const domain::Order &order, const Parcel &parcel,
                                              LabelDocument::Format format, const QString &commandKey)
{
    Q_UNUSED(commandKey); // ShipX takes no client id; the ledger entry keeps a retry from creating a second one
    if (m_account.organizationId.isEmpty() || m_account.token.isEmpty())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::labels",
                                        "InPost ShipX is not set up: the organization and the API token are needed."));
    auto created = send("POST", u"/v1/organizations/"_qs + m_account.organizationId + u"/shipments",
                        QJsonDocument(shipmentBody(order, parcel)).toJson(QJsonDocument::Compact));
    if (!created)
        return created.error();
    QJsonObject shipment = QJsonDocument::fromJson(created->body).object();
    const QString id = QString::number(shipment.value(u"id").toInteger());
    for (int poll = 0; shipment.value(u"status").toString() != u"confirmed" ||
                       shipment.value(u"tracking_number").toString().isEmpty();
         ++poll) {
        if (poll >= m_pollLimit)
            return makeError(Error::Code::Io,
                             QCoreApplication::translate(
                                 "sd::labels", "InPost has not confirmed the shipment yet; try again in a while."),
                             id);
        waitMs(qint64(1000 * m_timeScale));
        auto read = send("GET", u"/v1/shipments/"_qs + id);
        if (!read)
            return read.error();
        shipment = QJsonDocument::fromJson(read->body).object();
    }
    CourierLabel label;
    label.courier = name();
    label.carrierId = u"INPOST"_qs;
    label.shipmentId = id;
    label.trackingNumber = shipment.value(u"tracking_number").toString();
    const QString parcelNumber =
        shipment.value(u"parcels").toArray().first().toObject().value(u"tracking_number").toString();
    if (!parcelNumber.isEmpty() && parcelNumber != label.trackingNumber)
        label.labelBarcode = parcelNumber;
    auto file = send("GET", u"/v1/shipments/"_qs + id + u"/label", {},
                     u"format="_qs + (format == LabelDocument::Format::Zpl ? u"zpl"_qs : u"pdf"_qs) + u"&type=A6");
    if (!file)
        return file.error();
    label.document.format = format;
    label.document.data = file->body;
    return label;
}

} // namespace sd::devices::labels
