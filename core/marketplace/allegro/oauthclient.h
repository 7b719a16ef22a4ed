#pragma once

#include "marketplace/allegro/httptransport.h"
#include "marketplace/allegro/retrypolicy.h"
#include "marketplace/allegro/tokenset.h"
#include "util/result.h"

#include <QDateTime>
#include <QUrl>

#include <functional>
#include <optional>

namespace sd::marketplace::allegro {

// What the user must see to approve the device: open verificationUri and type userCode (or open
// verificationUriComplete, which carries the code).
struct DeviceAuthorization
{
    QByteArray deviceCode; // secret-ish: never logged
    QString userCode;
    QUrl verificationUri;
    QUrl verificationUriComplete;
    int intervalSeconds = 5;
    QDateTime expiresAt;
};

// Allegro's OAuth endpoints (on the auth host): the device flow and the refresh grant, with Basic client auth.
class OAuthClient
{
public:
    OAuthClient(const HttpTransport &transport, QUrl authBaseUrl, QString clientId, QByteArray clientSecret,
                RetryPolicy policy = {});

    Result<DeviceAuthorization> startDeviceFlow();
    // One poll: a token pair once approved, nullopt while authorization is pending.
    Result<std::optional<TokenSet>> pollDeviceFlow(const DeviceAuthorization &authorization);
    // Polls at the given interval (scaled by the policy) until approved, expired, refused or cancelled.
    Result<TokenSet> waitForApproval(const DeviceAuthorization &authorization,
                                     const std::function<bool()> &cancelled = {});
    // Exchanges a single-use refresh token for a new pair. A used or expired one fails with Code::Conflict.
    Result<TokenSet> refresh(const QByteArray &refreshToken);

private:
    HttpResponse post(const QString &path, const QByteArray &form);

    const HttpTransport &m_transport;
    QUrl m_authBaseUrl;
    QString m_clientId;
    QByteArray m_clientSecret;
    RetryPolicy m_policy;
};

} // namespace sd::marketplace::allegro
