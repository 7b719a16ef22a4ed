#include "marketplace/allegro/oauthclient.h"

#include "marketplace/allegro/apierror.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrlQuery>

namespace sd::marketplace::allegro {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::allegro", text);
}

} // namespace

OAuthClient::OAuthClient(const HttpTransport &transport, QUrl authBaseUrl, QString clientId, QByteArray clientSecret,
                         RetryPolicy policy)
    : m_transport(transport)
    , m_authBaseUrl(std::move(authBaseUrl))
    , m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
    , m_policy(policy)
{}

HttpResponse OAuthClient::post(const QString &path, const QByteArray &form)
{
    HttpRequest request;
    request.method = "POST";
    QUrl url = m_authBaseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    // Allegro documents the grant parameters in the query string of the token call; the body carries them too.
    url.setQuery(QString::fromLatin1(form));
    request.url = url;
    request.body = form;
    request.secretBodies = true;
    request.headers = {
        {"Authorization", "Basic " + QByteArray(m_clientId.toUtf8() + ':' + m_clientSecret).toBase64()},
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
    };
    HttpResponse response;
    for (int attempt = 1;; ++attempt) {
        response = m_transport.send(request);
        const bool transient = response.status == 0 || response.status >= 500 || response.status == 429;
        if (!transient || attempt >= m_policy.maxAttempts)
            return response;
        bool okHeader = false;
        const qint64 retryAfter = response.header("Retry-After").toLongLong(&okHeader);
        QThread::msleep(quint64(m_policy.delayMs(attempt, okHeader ? std::optional<qint64>(retryAfter) : std::nullopt,
                                                 response.status != 429)));
    }
}

Result<DeviceAuthorization> OAuthClient::startDeviceFlow()
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("client_id"), m_clientId);
    const HttpResponse response =
        post(QStringLiteral("/auth/oauth/device"), form.toString(QUrl::FullyEncoded).toLatin1());
    if (response.status != 200)
        return ApiError::parse(response.status, response.body).toError(tr("the device authorisation request"));
    const QJsonObject o = QJsonDocument::fromJson(response.body).object();
    DeviceAuthorization authorization;
    authorization.deviceCode = o.value(u"device_code").toString().toLatin1();
    authorization.userCode = o.value(u"user_code").toString();
    authorization.verificationUri = QUrl(o.value(u"verification_uri").toString());
    authorization.verificationUriComplete = QUrl(o.value(u"verification_uri_complete").toString());
    authorization.intervalSeconds = qMax(1, o.value(u"interval").toInt(5));
    authorization.expiresAt = QDateTime::currentDateTimeUtc().addSecs(o.value(u"expires_in").toInt(3600));
    if (authorization.deviceCode.isEmpty() || authorization.userCode.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("Allegro's answer to the device authorisation request is incomplete."),
                         QString::fromUtf8(HttpTransport::redactTokens(response.body)));
    return authorization;
}

Result<std::optional<TokenSet>> OAuthClient::pollDeviceFlow(const DeviceAuthorization &authorization)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
    form.addQueryItem(QStringLiteral("device_code"), QString::fromLatin1(authorization.deviceCode));
    const HttpResponse response =
        post(QStringLiteral("/auth/oauth/token"), form.toString(QUrl::FullyEncoded).toLatin1());
    if (response.status == 200) {
        auto tokens = TokenSet::fromTokenResponse(response.body);
        if (!tokens)
            return makeError(Error::Code::Invalid, tr("Allegro's token answer is incomplete."));
        return std::optional<TokenSet>(*tokens);
    }
    const ApiError error = ApiError::parse(response.status, response.body);
    if (error.code == u"authorization_pending" || error.code == u"slow_down")
        return std::optional<TokenSet>();
    if (error.code == u"access_denied")
        return makeError(Error::Code::Invalid, tr("The connection was refused in the browser."), error.message);
    if (error.code == u"expired_token" || error.message.contains(u"Invalid device code"))
        return makeError(Error::Code::Invalid,
                         tr("The code expired or was already used. Start connecting the account again."),
                         error.message);
    return error.toError(tr("the device authorisation"));
}

Result<TokenSet> OAuthClient::waitForApproval(const DeviceAuthorization &authorization,
                                              const std::function<bool()> &cancelled)
{
    int interval = authorization.intervalSeconds;
    while (true) {
        auto polled = pollDeviceFlow(authorization);
        if (!polled)
            return polled.error();
        if (polled->has_value())
            return **polled;
        if (QDateTime::currentDateTimeUtc() >= authorization.expiresAt)
            return makeError(Error::Code::Invalid,
                             tr("The code expired before the connection was approved. Start connecting again."));
        QDeadlineTimer wait(m_policy.scaled(qint64(interval) * 1000));
        while (!wait.hasExpired()) {
            if (cancelled && cancelled())
                return makeError(Error::Code::Invalid, tr("Connecting the account was cancelled."));
            QThread::msleep(quint64(qMin<qint64>(100, qMax<qint64>(1, wait.remainingTime()))));
        }
    }
}

Result<TokenSet> OAuthClient::refresh(const QByteArray &refreshToken)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken));
    const HttpResponse response =
        post(QStringLiteral("/auth/oauth/token"), form.toString(QUrl::FullyEncoded).toLatin1());
    if (response.status == 200) {
        auto tokens = TokenSet::fromTokenResponse(response.body);
        if (!tokens)
            return makeError(Error::Code::Invalid, tr("Allegro's token answer is incomplete."));
        return *tokens;
    }
    const ApiError error = ApiError::parse(response.status, response.body);
    if (error.code == u"invalid_grant" || error.status == 401)
        return makeError(Error::Code::Conflict,
                         tr("Allegro no longer accepts this account's session. Connect the account again."),
                         QStringLiteral("refresh: HTTP %1 %2: %3").arg(error.status).arg(error.code, error.message));
    return error.toError(tr("renewing the session"));
}

} // namespace sd::marketplace::allegro
