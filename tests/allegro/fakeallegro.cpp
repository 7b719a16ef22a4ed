#include "fakeallegro.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace {

QByteArray answer(int status, const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/vnd.allegro.public.v1+json\r\n" +
           extra + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

QSemaphore s_ready;

} // namespace

FakeAllegro::FakeAllegro()
{
    start();
    s_ready.acquire();
}

FakeAllegro::~FakeAllegro()
{
    quit();
    wait();
}

void FakeAllegro::run()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
    QObject::connect(&server, &QTcpServer::newConnection, &server, [this, &server] {
        QTcpSocket *socket = server.nextPendingConnection();
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            qsizetype length = 0;
            QByteArray auth;
            for (const QByteArray &line : lines) {
                const QByteArray l = line.trimmed();
                if (l.toLower().startsWith("content-length:"))
                    length = l.mid(15).trimmed().toLongLong();
                if (l.toLower().startsWith("authorization:"))
                    auth = l.mid(14).trimmed();
            }
            if (buffer->size() < end + 4 + length)
                return;
            const QList<QByteArray> first = lines.first().trimmed().split(' ');
            const QByteArray method = first.value(0);
            const QUrl url(QString::fromLatin1(first.value(1)));
            const QString path = url.path();
            const QUrlQuery query(url);
            QByteArray reply;
            {
                QMutexLocker lock(&mutex);
                requests.append(QString::fromLatin1(method) + u' ' + url.toString());
                if (path == u"/auth/oauth/token") {
                    const QByteArray presented = query.queryItemValue(QStringLiteral("refresh_token")).toLatin1();
                    if (presented != refreshToken) {
                        ++refusedRefreshes;
                        reply = answer(400, R"({"error":"invalid_grant","error_description":"Invalid refresh token"})");
                    } else {
                        ++refreshes;
                        ++tokenSerial;
                        accessToken = "access-" + QByteArray::number(tokenSerial);
                        refreshToken = "refresh-" + QByteArray::number(tokenSerial);
                        QThread::msleep(50); // widen the window in which a second workstation could collide
                        reply = answer(200, "{\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"" +
                                                refreshToken + "\",\"expires_in\":43199,\"token_type\":\"bearer\"}");
                    }
                } else if (auth != "Bearer " + accessToken) {
                    reply = answer(401, R"({"error":"invalid_token","error_description":"Access token expired: x"})");
                } else if (fail429 > 0) {
                    --fail429;
                    reply = answer(429, R"({"errors":[{"code":"TooManyRequests","message":"slow down"}]})",
                                   "Retry-After: 1\r\n");
                } else if (fail503 > 0) {
                    --fail503;
                    reply = answer(503, R"({"errors":[{"code":"INTERNAL_SERVER_ERROR","message":"down"}]})");
                } else if (path == u"/order/events") {
                    const QString from = query.queryItemValue(QStringLiteral("from"));
                    const int limit = query.queryItemValue(QStringLiteral("limit")).toInt();
                    QJsonArray page;
                    bool after = from.isEmpty();
                    for (const QJsonValue &e : std::as_const(events)) {
                        if (after && page.size() < limit)
                            page.append(e);
                        if (e.toObject().value(u"id").toString() == from)
                            after = true;
                    }
                    reply =
                        answer(200, QJsonDocument(QJsonObject{{u"events"_qs, page}}).toJson(QJsonDocument::Compact));
                } else if (path.startsWith(u"/order/checkout-forms/")) {
                    const QString id = path.mid(22);
                    reply = forms.contains(id)
                                ? answer(200, forms.value(id))
                                : answer(404, R"({"errors":[{"code":"CheckoutFormNotFoundException"}]})");
                } else if (path == u"/me") {
                    reply = answer(200, R"({"id":"42","login":"shop"})");
                } else {
                    reply = answer(404, R"({"errors":[{"code":"NotFoundException"}]})");
                }
            }
            socket->write(reply);
            socket->disconnectFromHost();
        });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    });
    s_ready.release();
    exec();
}
