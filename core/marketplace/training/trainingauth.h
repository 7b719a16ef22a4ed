#pragma once

#include "marketplace/training/trainingresponse.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <optional>
#include <random>

namespace sd::marketplace::training {

// OAuth of the training marketplace: the device flow, token pairs, refresh with Allegro's rules (single-use
// refresh tokens with a 60 s grace period, each refresh retiring the previous access token). Any client id and
// secret are accepted. Times are the server clock's UTC milliseconds.
class TrainingAuth
{
public:
    static constexpr int kAccessSeconds = 43199;
    static constexpr int kDeviceSeconds = 3600;
    static constexpr int kRefreshGraceSeconds = 60;
    static constexpr qint64 kRefreshLifetimeMs = 90LL * 24 * 3600 * 1000;

    explicit TrainingAuth(std::mt19937_64 *random);

    void setAutoApprove(bool on) { m_autoApprove = on; }
    bool autoApprove() const { return m_autoApprove; }

    // POST /auth/oauth/device
    TrainingResponse startDevice(const QByteArray &authorization, const QUrlQuery &params, const QString &baseUrl,
                                 qint64 now);
    // POST /auth/oauth/token (device_code, refresh_token or client_credentials grant)
    TrainingResponse token(const QByteArray &authorization, const QUrlQuery &params, qint64 now);
    // The verification page's button. False when no live device code has that user code.
    bool approve(const QString &userCode, qint64 now);
    bool knowsUserCode(const QString &userCode, qint64 now) const;

    // The 401 an API call gets for this Authorization header, or nothing when the token is good.
    std::optional<TrainingResponse> checkAccess(const QByteArray &authorization, qint64 now) const;
    // The client id behind a good access token (for the per-client rate limit).
    QString clientOf(const QByteArray &authorization) const;

    // For in-process tests and trainers: a fresh pair without the device flow.
    QJsonObject issuePair(const QString &clientId, qint64 now);
    // Every access token expires now (refresh tokens stay usable).
    void expireAccessTokens(qint64 now);
    // Every token stops working, as when the seller logs out of all devices.
    void revokeAll();

    QJsonObject toJson() const;
    void fromJson(const QJsonObject &json);

private:
    struct Device
    {
        QString userCode;
        QString clientId;
        qint64 expiresAt = 0;
        bool approved = false;
        bool used = false;
    };
    struct Pair
    {
        QString access;
        QString clientId;
        qint64 accessExpiresAt = 0;
        qint64 refreshExpiresAt = 0;
        bool accessRetired = false;
        qint64 refreshUsedAt = 0; // 0: not used yet
    };

    QString randomText(int bytes);
    QString makeAccessToken(const QString &clientId, qint64 expiresAt);
    QJsonObject newPair(const QString &clientId, qint64 now);

    std::mt19937_64 *m_random;
    bool m_autoApprove = false;
    quint64 m_serial = 0;
    QHash<QString, Device> m_devices; // by device code
    QHash<QString, Pair> m_pairs;     // by refresh token
    QHash<QString, QString> m_accessToRefresh;
};

} // namespace sd::marketplace::training
