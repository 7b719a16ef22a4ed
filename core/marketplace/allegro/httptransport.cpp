#include "marketplace/allegro/httptransport.h"
#include "util/trainingmode.h"

#include "util/logging.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QThreadStorage>
#include <QUrlQuery>

namespace sd::marketplace::allegro {

namespace {

// One manager per thread: QNetworkAccessManager belongs to the thread that made it.
QNetworkAccessManager &manager()
{
    static QThreadStorage<QNetworkAccessManager *> s_managers;
    if (!s_managers.hasLocalData())
        s_managers.setLocalData(new QNetworkAccessManager);
    return *s_managers.localData();
}

const char *const kSecretFields[] = {"access_token", "refresh_token", "device_code", "id_token", "client_secret"};

QUrl redactUrl(const QUrl &url)
{
    QUrlQuery query(url);
    bool changed = false;
    for (const char *field : kSecretFields) {
        const QString name = QString::fromLatin1(field);
        if (query.hasQueryItem(name)) {
            query.removeAllQueryItems(name);
            query.addQueryItem(name, QStringLiteral("***"));
            changed = true;
        }
    }
    if (!changed)
        return url;
    QUrl copy = url;
    copy.setQuery(query);
    return copy;
}

} // namespace

HttpTransport::HttpTransport(qint64 timeoutMs)
    : m_timeoutMs(timeoutMs)
{}

QByteArray HttpTransport::redactTokens(const QByteArray &body)
{
    QByteArray out = body;
    for (const char *field : kSecretFields) {
        const QString name = QString::fromLatin1(field);
        // JSON: "field":"value"; form: field=value
        thread_local QHash<QString, QPair<QRegularExpression, QRegularExpression>> patterns;
        auto it = patterns.find(name);
        if (it == patterns.end())
            it = patterns.insert(name, {QRegularExpression(u"(\""_qs + name + u"\"\\s*:\\s*\")[^\"]*(\")"_qs),
                                        QRegularExpression(u"((?:^|&)"_qs + name + u"=)[^&]*"_qs)});
        QString text = QString::fromUtf8(out);
        text.replace(it->first, QStringLiteral("\\1***\\2"));
        text.replace(it->second, QStringLiteral("\\1***"));
        out = text.toUtf8();
    }
    return out;
}

HttpResponse HttpTransport::send(const HttpRequest &request) const
{
    if (auto allowed = sd::training::checkOutbound(request.url); !allowed) {
        HttpResponse refused;
        refused.networkError = allowed.error().userMessage;
        qCWarning(lcAllegro).noquote() << request.method << request.url.host() << "refused in training mode";
        return refused;
    }
    QNetworkRequest nr(request.url);
    nr.setTransferTimeout(int(m_timeoutMs));
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : request.headers)
        nr.setRawHeader(name, value);

    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = manager().sendCustomRequest(nr, request.method, request.body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);

    HttpResponse response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        response.headers.append(pair);
    if (response.status == 0)
        response.networkError = reply->errorString();
    reply->deleteLater();

    HttpExchange exchange;
    exchange.method = request.method;
    exchange.url = redactUrl(request.url);
    for (const auto &header : request.headers) {
        if (header.first.compare("Authorization", Qt::CaseInsensitive) != 0)
            exchange.requestHeaders.append(header);
    }
    exchange.requestBody = request.secretBodies ? redactTokens(request.body) : request.body;
    exchange.status = response.status;
    exchange.responseHeaders = response.headers;
    exchange.responseBody = request.secretBodies ? redactTokens(response.body) : response.body;
    exchange.elapsedMs = timer.elapsed();

    if (response.status == 0)
        qCWarning(lcAllegro).noquote() << request.method << exchange.url.toString()
                                       << "no answer:" << response.networkError;
    else
        qCDebug(lcAllegro).noquote() << request.method << exchange.url.toString() << response.status
                                     << exchange.elapsedMs << "ms trace-id" << response.header("trace-id");
    if (m_observer)
        m_observer(exchange);
    return response;
}

} // namespace sd::marketplace::allegro
