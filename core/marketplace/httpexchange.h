#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <functional>

namespace sd::marketplace {

// One HTTP request and the answer to it, as a marketplace client sent and received it. The Allegro client
// reports every exchange to an observer (the connector log view, and the test that checks all traffic
// against Allegro's OpenAPI file). Secrets are already redacted: the Authorization header never appears
// here, and OAuth token bodies have their token values replaced by "***".
struct HttpExchange
{
    QByteArray method;                                   // "GET", "PUT", ...
    QUrl url;                                            // full URL with the query
    QList<QPair<QByteArray, QByteArray>> requestHeaders; // without Authorization
    QByteArray requestBody;
    int status = 0; // 0 when no HTTP answer came (timeout, refused connection)
    QList<QPair<QByteArray, QByteArray>> responseHeaders;
    QByteArray responseBody;
    qint64 elapsedMs = 0;

    QByteArray requestHeader(const QByteArray &name) const;
    QByteArray responseHeader(const QByteArray &name) const;
};

using HttpExchangeObserver = std::function<void(const HttpExchange &)>;

inline QByteArray headerValue(const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

inline QByteArray HttpExchange::requestHeader(const QByteArray &name) const
{
    return headerValue(requestHeaders, name);
}

inline QByteArray HttpExchange::responseHeader(const QByteArray &name) const
{
    return headerValue(responseHeaders, name);
}

} // namespace sd::marketplace
