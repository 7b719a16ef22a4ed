#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QList>
#include <QUrlQuery>

namespace sd::test {

// A local stand-in for SMSAPI's sms.do (never a real gateway in tests): checks the Bearer token and the form,
// answers in SMSAPI's JSON shape, and can fail on purpose. Lives in the test's thread; the client's blocking call
// spins a local event loop, which serves it.
class SmsGatewayFake : public QAbstractHttpServer
{
public:
    struct Received
    {
        QByteArray authorization;
        QByteArray contentType;
        QUrlQuery form;
    };

    explicit SmsGatewayFake(QByteArray token);
    quint16 start(); // port on 127.0.0.1
    QList<Received> received;
    int failNext = 0;  // answer HTTP 500 this many times
    int errorCode = 0; // answer {"error": code} with HTTP 200 once
    bool rejectRepeatedIdx = true;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    QByteArray m_token;
    QStringList m_seenIdx;
    int m_nextId = 1;
};

} // namespace sd::test
