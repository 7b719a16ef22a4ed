#pragma once

#include "marketplace/httpexchange.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace sd::marketplace::allegro {

struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // Authorization included; it is redacted before anyone sees it
    QByteArray body;
    bool secretBodies = false; // OAuth calls: token values in bodies are redacted in logs and exchanges
};

struct HttpResponse
{
    int status = 0; // 0: no answer (timeout, refused)
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString networkError; // why there was no answer

    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
};

// One blocking HTTP exchange: a QNetworkAccessManager of the calling thread and a local QEventLoop, so it works on
// a worker thread with no loop of its own, and with a server living in another thread of the same process.
// Every exchange is logged (sd.allegro) and reported to the observer with secrets redacted.
class HttpTransport
{
public:
    explicit HttpTransport(qint64 timeoutMs = 30000);

    void setObserver(HttpExchangeObserver observer) { m_observer = std::move(observer); }
    void setTimeoutMs(qint64 ms) { m_timeoutMs = ms; }

    HttpResponse send(const HttpRequest &request) const;

    // "***" instead of access_token/refresh_token/device_code values in a JSON or form body.
    static QByteArray redactTokens(const QByteArray &body);

private:
    qint64 m_timeoutMs;
    HttpExchangeObserver m_observer;
};

} // namespace sd::marketplace::allegro
