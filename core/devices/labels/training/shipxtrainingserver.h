#pragma once

#include "util/result.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QJsonObject>
#include <QUrl>

namespace sd::devices::labels {

// InPost ShipX for training and tests (a product feature, like the training marketplace): 127.0.0.1 only, in
// memory. It speaks the subset SellerDesk uses with ShipX's shapes and errors:
//   POST /v1/organizations/{org}/shipments      201 {id, status "created", tracking_number null, ...}
//   GET  /v1/shipments/{id}                      "confirmed" with a 24-digit tracking number after `confirmAfterPolls`
//   GET  /v1/shipments/{id}/label?format=pdf|zpl|epl&type=normal|A6   the file (400 before confirmation)
// Bearer token and organization are checked (401 / 404); a body that ShipX would refuse gets 400
// {"error":"validation_failed","message":...,"details":{field:[reason]}}.
class ShipXTrainingServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    struct Options
    {
        QByteArray token = "training-shipx-token";
        QString organizationId = u"1001"_qs;
        int confirmAfterPolls = 1;
        quint16 port = 0;
    };

    explicit ShipXTrainingServer(Options options, QObject *parent = nullptr);

    Result<QUrl> start();
    QUrl baseUrl() const { return m_baseUrl; }
    int shipmentsCreated() const { return int(m_shipments.size()); }
    QJsonObject shipment(qint64 id) const { return m_shipments.value(id).json; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Shipment
    {
        QJsonObject json;
        int polls = 0;
    };
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QByteArray contentType = "application/json";
    };

    Answer create(const QString &organization, const QByteArray &body);
    Answer read(qint64 id);
    Answer label(qint64 id, const QString &format, const QString &type);
    static Answer error(int status, const QString &code, const QString &message, const QJsonObject &details = {});

    Options m_options;
    QUrl m_baseUrl;
    QHash<qint64, Shipment> m_shipments;
    qint64 m_nextId = 51200000;
    quint64 m_trackingSerial = 0;
};

} // namespace sd::devices::labels
