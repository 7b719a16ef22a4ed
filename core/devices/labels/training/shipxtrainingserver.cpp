#include "devices/labels/training/shipxtrainingserver.h"

#include "devices/labels/pdflabels.h"
#include "devices/labels/zpltemplates.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace sd::devices::labels {

namespace {

QByteArray header(const QHttpServerRequest &request, const char *name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

const QStringList kServices = {u"inpost_locker_standard"_qs, u"inpost_courier_standard"_qs, u"inpost_locker_allegro"_qs,
                               u"inpost_courier_allegro"_qs};

} // namespace

ShipXTrainingServer::ShipXTrainingServer(Options options, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_options(std::move(options))
{}

Result<QUrl> ShipXTrainingServer::start()
{
    const quint16 port = listen(QHostAddress::LocalHost, m_options.port);
    if (port == 0)
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::labels", "The training InPost cannot listen on port %1.")
                             .arg(m_options.port));
    m_baseUrl = QUrl(u"http://127.0.0.1:"_qs + QString::number(port));
    return m_baseUrl;
}

ShipXTrainingServer::Answer ShipXTrainingServer::error(int status, const QString &code, const QString &message,
                                                       const QJsonObject &details)
{
    QJsonObject body{{u"status"_qs, status}, {u"error"_qs, code}, {u"message"_qs, message}};
    if (!details.isEmpty())
        body.insert(u"details"_qs, details);
    return {status, QJsonDocument(body).toJson(QJsonDocument::Compact)};
}

bool ShipXTrainingServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QStringList p = request.url().path().split(u'/', Qt::SkipEmptyParts);
    const QUrlQuery query(request.url());
    using M = QHttpServerRequest::Method;
    Answer answer;
    if (header(request, "Authorization") != "Bearer " + m_options.token) {
        answer = error(401, u"token_invalid"_qs, u"Token is missing or invalid."_qs);
    } else if (p.size() == 4 && p.at(0) == u"v1" && p.at(1) == u"organizations" && p.at(3) == u"shipments" &&
               request.method() == M::Post) {
        answer = create(p.at(2), request.body());
    } else if (p.size() >= 3 && p.at(0) == u"v1" && p.at(1) == u"shipments" && request.method() == M::Get) {
        bool numeric = false;
        const qint64 id = p.at(2).toLongLong(&numeric);
        if (!numeric || !m_shipments.contains(id))
            answer = error(404, u"resource_not_found"_qs, u"Shipment not found"_qs);
        else if (p.size() == 3)
            answer = read(id);
        else if (p.size() == 4 && p.at(3) == u"label")
            answer = label(id, query.queryItemValue(u"format"_qs).toLower(), query.queryItemValue(u"type"_qs));
        else
            answer = error(404, u"resource_not_found"_qs, u"Not found"_qs);
    } else {
        answer = error(404, u"resource_not_found"_qs, u"Not found"_qs);
    }
    auto responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
    responder.writeHeader("Content-Type", answer.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
    responder.writeBody(answer.body);
    return true;
}

void ShipXTrainingServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Q_UNUSED(request);
    Q_UNUSED(socket);
}

ShipXTrainingServer::Answer ShipXTrainingServer::create(const QString &organization, const QByteArray &bytes)
{
    if (organization != m_options.organizationId)
        return error(404, u"resource_not_found"_qs, u"Organization not found"_qs);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return error(400, u"invalid_json"_qs, u"Body is not a JSON object: "_qs + parseError.errorString());
    const QJsonObject body = doc.object();
    QJsonObject details;
    const auto missing = [&](const QString &field) { details.insert(field, QJsonArray{u"required"_qs}); };
    const QJsonObject receiver = body.value(u"receiver").toObject();
    if (receiver.value(u"email").toString().isEmpty())
        missing(u"receiver.email"_qs);
    if (receiver.value(u"phone").toString().isEmpty())
        missing(u"receiver.phone"_qs);
    if (receiver.value(u"last_name").toString().isEmpty() && receiver.value(u"company_name").toString().isEmpty())
        missing(u"receiver.last_name"_qs);
    const QString service = body.value(u"service").toString();
    if (!kServices.contains(service))
        details.insert(u"service"_qs, QJsonArray{u"invalid"_qs});
    const QJsonArray parcels = body.value(u"parcels").toArray();
    if (parcels.isEmpty())
        missing(u"parcels"_qs);
    const bool locker = service.startsWith(u"inpost_locker");
    const QJsonObject attributes = body.value(u"custom_attributes").toObject();
    if (locker) {
        if (attributes.value(u"target_point").toString().isEmpty())
            missing(u"custom_attributes.target_point"_qs);
        for (const QJsonValue &parcel : parcels)
            if (!QStringList{u"small"_qs, u"medium"_qs, u"large"_qs}.contains(
                    parcel.toObject().value(u"template").toString()))
                details.insert(u"parcels.template"_qs, QJsonArray{u"invalid"_qs});
    } else {
        const QJsonObject address = receiver.value(u"address").toObject();
        for (const char *field : {"street", "building_number", "city", "post_code", "country_code"})
            if (address.value(QLatin1StringView(field)).toString().isEmpty())
                missing(u"receiver.address."_qs + QLatin1StringView(field));
        for (const QJsonValue &parcel : parcels) {
            const QJsonObject o = parcel.toObject();
            if (o.value(u"weight").toObject().value(u"amount").toDouble() <= 0)
                details.insert(u"parcels.weight"_qs, QJsonArray{u"invalid"_qs});
            if (o.value(u"dimensions").toObject().value(u"length").toDouble() <= 0)
                details.insert(u"parcels.dimensions"_qs, QJsonArray{u"invalid"_qs});
        }
    }
    if (!details.isEmpty())
        return error(400, u"validation_failed"_qs,
                     u"There are some validation errors. Check details object for more "
                     u"info."_qs,
                     details);
    const qint64 id = m_nextId++;
    QJsonArray storedParcels;
    for (const QJsonValue &parcel : parcels) {
        QJsonObject o = parcel.toObject();
        o.insert(u"id"_qs, id * 10 + storedParcels.size());
        o.insert(u"tracking_number"_qs, QJsonValue::Null);
        storedParcels.append(o);
    }
    QJsonObject shipment{{u"href"_qs, QString(m_baseUrl.toString() + u"/v1/shipments/" + QString::number(id))},
                         {u"id"_qs, id},
                         {u"status"_qs, u"created"_qs},
                         {u"tracking_number"_qs, QJsonValue::Null},
                         {u"service"_qs, service},
                         {u"reference"_qs, body.value(u"reference")},
                         {u"receiver"_qs, receiver},
                         {u"custom_attributes"_qs, attributes},
                         {u"parcels"_qs, storedParcels},
                         {u"created_at"_qs, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    m_shipments.insert(id, {shipment, 0});
    return {201, QJsonDocument(shipment).toJson(QJsonDocument::Compact)};
}

ShipXTrainingServer::Answer ShipXTrainingServer::read(qint64 id)
{
    Shipment &s = m_shipments[id];
    if (s.json.value(u"status").toString() != u"confirmed" && ++s.polls >= m_options.confirmAfterPolls) {
        // 24 digits as InPost's, unique per server run.
        const QString tracking = u"6200"_qs + QString::number(id).rightJustified(10, u'0') +
                                 QString::number(++m_trackingSerial).rightJustified(10, u'0');
        s.json.insert(u"status"_qs, u"confirmed"_qs);
        s.json.insert(u"tracking_number"_qs, tracking);
        QJsonArray parcels = s.json.value(u"parcels").toArray();
        for (qsizetype i = 0; i < parcels.size(); ++i) {
            QJsonObject o = parcels.at(i).toObject();
            o.insert(u"tracking_number"_qs, tracking);
            parcels.replace(i, o);
        }
        s.json.insert(u"parcels"_qs, parcels);
    }
    return {200, QJsonDocument(s.json).toJson(QJsonDocument::Compact)};
}

ShipXTrainingServer::Answer ShipXTrainingServer::label(qint64 id, const QString &format, const QString &type)
{
    const QJsonObject s = m_shipments.value(id).json;
    if (s.value(u"status").toString() != u"confirmed")
        return error(400, u"invalid_action"_qs, u"Label is available after the shipment is confirmed."_qs);
    if (!QStringList{u"pdf"_qs, u"zpl"_qs, u"epl"_qs}.contains(format))
        return error(400, u"validation_failed"_qs, u"Invalid format"_qs, {{u"format"_qs, QJsonArray{u"invalid"_qs}}});
    if (!type.isEmpty() && type != u"normal" && type != u"A6")
        return error(400, u"validation_failed"_qs, u"Invalid type"_qs, {{u"type"_qs, QJsonArray{u"invalid"_qs}}});
    // The label is drawn with our own templates from what the shipment holds.
    domain::Order order;
    const QJsonObject receiver = s.value(u"receiver").toObject();
    const QJsonObject address = receiver.value(u"address").toObject();
    order.externalId = s.value(u"reference").toString();
    order.delivery.address.firstName = receiver.value(u"first_name").toString();
    order.delivery.address.lastName = receiver.value(u"last_name").toString();
    order.delivery.address.companyName = receiver.value(u"company_name").toString();
    order.delivery.address.street =
        QString(address.value(u"street").toString() + u' ' + address.value(u"building_number").toString()).trimmed();
    order.delivery.address.postCode = address.value(u"post_code").toString();
    order.delivery.address.city = address.value(u"city").toString();
    order.delivery.address.phone = receiver.value(u"phone").toString();
    order.delivery.pickupPoint.id = s.value(u"custom_attributes").toObject().value(u"target_point").toString();
    order.delivery.pickupPoint.name = order.delivery.pickupPoint.id.isEmpty() ? QString() : u"Paczkomat"_qs;
    Sender sender;
    sender.name = u"InPost training"_qs;
    sender.street = u"ul. Pana Tadeusza 4"_qs;
    sender.postalCode = u"30-727"_qs;
    sender.city = u"Kraków"_qs;
    const QString tracking = s.value(u"tracking_number").toString();
    if (format == u"pdf") {
        auto pdf = pdf::addressLabel(order, sender, tracking, u"InPost"_qs);
        if (!pdf)
            return error(500, u"internal_error"_qs, pdf.error().detail);
        return {200, *pdf, "application/pdf"};
    }
    if (format == u"epl")
        return {200, "N\nq800\nB60,740,0,1,3,6,260,B,\"" + tracking.toLatin1() + "\"\nP1\n", "text/plain"};
    return {200, zpl::addressLabel(order, sender, tracking), "text/plain"};
}

} // namespace sd::devices::labels
