// "Wysyłam z Allegro" shipment management of the training shop: create commands, their status, shipment details and
// labels, with the shapes of the OpenAPI file (ShipmentCreateCommandDto, CreateShipmentCommandStatusDto, ShipmentDto,
// LabelRequestDto).

#include "devices/labels/pdflabels.h"
#include "devices/labels/zpltemplates.h"
#include "marketplace/training/trainingshop_p.h"

namespace sd::marketplace::training {

using namespace shop;

namespace {

const char *const kInvalidShipment = QT_TRANSLATE_NOOP("sd::training", "The shipment data is not complete.");

TrainingResponse invalid(const QString &message, const QString &path)
{
    return TrainingResponse::error(400, u"VALIDATION_ERROR"_s, message, kInvalidShipment, path);
}

// AddressDto's required fields; the first one missing, or empty when all are there.
QString missingAddressField(const QJsonObject &address)
{
    for (const char *field : {"street", "city", "countryCode", "postalCode", "email", "phone"})
        if (address.value(QLatin1StringView(field)).toString().trimmed().isEmpty())
            return QString::fromLatin1(field);
    return {};
}

} // namespace

TrainingResponse TrainingShop::createShipmentCommand(const QJsonObject &body, qint64 now)
{
    QString commandId = body.value(u"commandId"_s).toString();
    if (commandId.isEmpty())
        commandId = uuid();
    else if (!isUuid(commandId))
        return invalid(u"commandId must be a UUID"_s, u"commandId"_s);
    const QJsonObject input = body.value(u"input"_s).toObject();
    if (input.isEmpty())
        return invalid(u"input is required"_s, u"input"_s);
    if (const auto known = m_shipmentCommands.constFind(commandId); known != m_shipmentCommands.cend()) {
        // The same command again (an answer lost on the way): Allegro recognises the id.
        if (known->input != input)
            return invalid(u"commandId "_s + commandId + u" was used for another shipment"_s, u"commandId"_s);
        return TrainingResponse::ok({{u"commandId"_s, commandId}, {u"input"_s, input}}).withHeader("Retry-After", "1");
    }
    for (const char *side : {"sender", "receiver"}) {
        const QString name = QString::fromLatin1(side);
        const QJsonObject address = input.value(name).toObject();
        if (const QString field = missingAddressField(address); !field.isEmpty())
            return invalid(name + u'.' + field + u" is required"_s, u"input."_s + name + u'.' + field);
        if (!QRegularExpression(u"^[A-Z]{2}$"_s).match(address.value(u"countryCode"_s).toString()).hasMatch())
            return invalid(name + u".countryCode must be two capital letters"_s, u"input."_s + name + u".countryCode");
    }
    const QJsonArray packages = input.value(u"packages"_s).toArray();
    if (packages.isEmpty())
        return invalid(u"packages must not be empty"_s, u"input.packages"_s);
    for (qsizetype i = 0; i < packages.size(); ++i) {
        const QJsonObject package = packages.at(i).toObject();
        const QString path = u"input.packages["_s + QString::number(i) + u"]."_s;
        if (!QStringList{u"DOX"_s, u"PACKAGE"_s, u"PALLET"_s, u"OTHER"_s}.contains(package.value(u"type"_s).toString()))
            return invalid(u"type must be DOX, PACKAGE, PALLET or OTHER"_s, path + u"type"_s);
        for (const char *dimension : {"length", "width", "height", "weight"}) {
            const QJsonObject value = package.value(QLatin1StringView(dimension)).toObject();
            if (value.value(u"value"_s).toDouble() <= 0)
                return invalid(QString::fromLatin1(dimension) + u" must be positive"_s,
                               path + QString::fromLatin1(dimension));
        }
    }
    const QString format = input.value(u"labelFormat"_s).toString(u"PDF"_s);
    if (format != u"PDF" && format != u"ZPL")
        return invalid(u"labelFormat must be PDF or ZPL"_s, u"input.labelFormat"_s);
    m_shipmentCommands.insert(commandId, {input, now, 0, QString()});
    return TrainingResponse::ok({{u"commandId"_s, commandId}, {u"input"_s, input}}).withHeader("Retry-After", "1");
}

TrainingResponse TrainingShop::shipmentCommand(const QString &commandId, qint64 now)
{
    auto it = m_shipmentCommands.find(commandId);
    if (it == m_shipmentCommands.end())
        return TrainingResponse::empty(404);
    if (it->shipmentId.isEmpty() && (++it->polls >= 2 || now >= it->createdAt + kCommandDelayMs)) {
        const QJsonObject input = it->input;
        const QJsonObject receiver = input.value(u"receiver"_s).toObject();
        const bool locker = !receiver.value(u"point"_s).toString().isEmpty();
        const QString carrierId = locker ? u"INPOST"_s : u"DPD"_s;
        const quint64 serial = (*m_random)();
        // The carrier's tracking number (InPost: 24 digits, DPD: 14) and Allegro's own waybill on the label.
        const QString carrierWaybill =
            locker ? QString(u"6800"_s + QString::number(serial).rightJustified(20, u'0').right(20))
                   : QString::number(10000000000000ULL + serial % 90000000000000ULL);
        static const char kAlphabet[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
        QString allegroWaybill = u"A000"_s;
        quint64 bits = (*m_random)();
        for (int i = 0; i < 8; ++i) {
            allegroWaybill.append(QLatin1Char(kAlphabet[bits % (sizeof(kAlphabet) - 1)]));
            bits /= sizeof(kAlphabet) - 1;
        }
        QJsonArray packages;
        for (const QJsonValue &value : input.value(u"packages"_s).toArray()) {
            QJsonObject package = value.toObject();
            package.insert(u"waybill"_s, allegroWaybill);
            package.insert(u"transportingInfo"_s,
                           QJsonArray{QJsonObject{{u"carrierId"_s, carrierId}, {u"carrierWaybill"_s, carrierWaybill}}});
            packages.append(package);
        }
        const QString id = uuid();
        QJsonObject shipment{{u"id"_s, id},
                             {u"sender"_s, input.value(u"sender"_s)},
                             {u"receiver"_s, receiver},
                             {u"packages"_s, packages},
                             {u"createdDate"_s, iso(now)},
                             {u"carrier"_s, carrierId},
                             {u"labelFormat"_s, input.value(u"labelFormat"_s).toString(u"PDF"_s)},
                             {u"pickupAvailable"_s, !locker}};
        if (input.contains(u"referenceNumber"_s))
            shipment.insert(u"referenceNumber"_s, input.value(u"referenceNumber"_s));
        if (input.contains(u"deliveryMethodId"_s))
            shipment.insert(u"deliveryMethodId"_s, input.value(u"deliveryMethodId"_s));
        m_managedShipments.insert(id, shipment);
        it->shipmentId = id;
    }
    if (it->shipmentId.isEmpty())
        return TrainingResponse::ok({{u"commandId"_s, commandId}, {u"status"_s, u"IN_PROGRESS"_s}})
            .withHeader("Retry-After", "1");
    return TrainingResponse::ok(
        {{u"commandId"_s, commandId}, {u"status"_s, u"SUCCESS"_s}, {u"shipmentId"_s, it->shipmentId}});
}

TrainingResponse TrainingShop::managedShipment(const QString &shipmentId) const
{
    const auto it = m_managedShipments.constFind(shipmentId);
    if (it == m_managedShipments.cend())
        return TrainingResponse::error(404, u"NOT_FOUND"_s, u"Shipment "_s + shipmentId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The shipment was not found."));
    return TrainingResponse::ok(*it);
}

TrainingResponse TrainingShop::shipmentLabel(const QJsonObject &body) const
{
    const QJsonArray ids = body.value(u"shipmentIds"_s).toArray();
    if (ids.isEmpty())
        return invalid(u"shipmentIds must not be empty"_s, u"shipmentIds"_s);
    const QString pageSize = body.value(u"pageSize"_s).toString(u"A4"_s);
    if (pageSize != u"A4" && pageSize != u"A6")
        return invalid(u"pageSize must be A4 or A6"_s, u"pageSize"_s);
    // One label per request in training; Allegro would put several on A4 pages.
    const QString id = ids.first().toString();
    const auto it = m_managedShipments.constFind(id);
    if (it == m_managedShipments.cend())
        return TrainingResponse::error(404, u"NOT_FOUND"_s, u"Shipment "_s + id + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The shipment was not found."));
    const QJsonObject receiver = it->value(u"receiver"_s).toObject();
    const QJsonObject sender = it->value(u"sender"_s).toObject();
    const QJsonObject package = it->value(u"packages"_s).toArray().first().toObject();
    domain::Order order;
    order.externalId = it->value(u"referenceNumber"_s).toString();
    order.delivery.address.firstName = receiver.value(u"name"_s).toString();
    order.delivery.address.companyName = receiver.value(u"company"_s).toString();
    order.delivery.address.street = receiver.value(u"street"_s).toString();
    order.delivery.address.postCode = receiver.value(u"postalCode"_s).toString();
    order.delivery.address.city = receiver.value(u"city"_s).toString();
    order.delivery.address.phone = receiver.value(u"phone"_s).toString();
    order.delivery.pickupPoint.id = receiver.value(u"point"_s).toString();
    devices::labels::Sender from;
    from.name = sender.value(u"name"_s).toString();
    from.street = sender.value(u"street"_s).toString();
    from.postalCode = sender.value(u"postalCode"_s).toString();
    from.city = sender.value(u"city"_s).toString();
    const QString barcode = package.value(u"waybill"_s).toString();
    if (it->value(u"labelFormat"_s).toString() == u"ZPL")
        return TrainingResponse::raw(200, devices::labels::zpl::addressLabel(order, from, barcode),
                                     "application/octet-stream");
    auto pdf = devices::labels::pdf::addressLabel(order, from, barcode, it->value(u"carrier"_s).toString());
    if (!pdf)
        return TrainingResponse::error(500, u"INTERNAL_SERVER_ERROR"_s, pdf.error().detail,
                                       QT_TRANSLATE_NOOP("sd::training", "Allegro has a problem. Try again later."));
    return TrainingResponse::raw(200, *pdf, "application/octet-stream");
}

} // namespace sd::marketplace::training
