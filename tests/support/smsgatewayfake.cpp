#include "smsgatewayfake.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sd::test {

SmsGatewayFake::SmsGatewayFake(QByteArray token)
    : m_token(std::move(token))
{}

quint16 SmsGatewayFake::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

bool SmsGatewayFake::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    auto answer = [&](const QJsonObject &body, QHttpServerResponder::StatusCode code) {
        responder.write(QJsonDocument(body), code);
    };
    if (request.url().path() != QStringLiteral("/sms.do") || request.method() != QHttpServerRequest::Method::Post) {
        answer({{QStringLiteral("error"), 404}, {QStringLiteral("message"), QStringLiteral("not found")}},
               QHttpServerResponder::StatusCode::NotFound);
        return true;
    }
    Received r;
    r.authorization = request.value("Authorization");
    r.contentType = request.value("Content-Type");
    r.form = QUrlQuery(QString::fromUtf8(request.body()).replace(u'+', u' '));
    received.append(r);
    if (failNext > 0) {
        --failNext;
        answer({{QStringLiteral("error"), 999}, {QStringLiteral("message"), QStringLiteral("internal error")}},
               QHttpServerResponder::StatusCode::InternalServerError);
        return true;
    }
    if (r.authorization != "Bearer " + m_token) {
        answer({{QStringLiteral("error"), 101}, {QStringLiteral("message"), QStringLiteral("Authorization failed")}},
               QHttpServerResponder::StatusCode::Unauthorized);
        return true;
    }
    if (errorCode) {
        const int code = errorCode;
        errorCode = 0;
        answer({{QStringLiteral("error"), code}, {QStringLiteral("message"), QStringLiteral("Restricted account")}},
               QHttpServerResponder::StatusCode::Ok);
        return true;
    }
    const QString idx = r.form.queryItemValue(QStringLiteral("idx"));
    if (rejectRepeatedIdx && !idx.isEmpty() && r.form.queryItemValue(QStringLiteral("check_idx")) == u"1") {
        if (m_seenIdx.contains(idx)) {
            answer({{QStringLiteral("error"), 105}, {QStringLiteral("message"), QStringLiteral("idx already used")}},
                   QHttpServerResponder::StatusCode::Ok);
            return true;
        }
        m_seenIdx.append(idx);
    }
    const QString text = r.form.queryItemValue(QStringLiteral("message"), QUrl::FullyDecoded);
    bool unicode = false;
    for (const QChar c : text)
        unicode = unicode || c.unicode() > 0x7f;
    const int per = unicode ? (text.size() > 70 ? 67 : 70) : (text.size() > 160 ? 153 : 160);
    const int parts = int((text.size() + per - 1) / per);
    const QJsonObject item{{QStringLiteral("id"), QStringLiteral("SMS%1").arg(m_nextId++)},
                           {QStringLiteral("points"), 0.16 * parts},
                           {QStringLiteral("number"), r.form.queryItemValue(QStringLiteral("to"))},
                           {QStringLiteral("parts"), parts},
                           {QStringLiteral("status"), QStringLiteral("QUEUE")}};
    answer({{QStringLiteral("count"), 1}, {QStringLiteral("list"), QJsonArray{item}}},
           QHttpServerResponder::StatusCode::Ok);
    return true;
}

void SmsGatewayFake::missingHandler(const QHttpServerRequest &, QTcpSocket *) {}

} // namespace sd::test
