#include "marketplace/training/trainingauth.h"

#include "marketplace/training/traininglog.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

namespace {

constexpr auto kScope = "allegro:api:orders:read allegro:api:orders:write allegro:api:sale:offers:read "
                        "allegro:api:sale:offers:write allegro:api:messaging allegro:api:payments:read "
                        "allegro:api:payments:write allegro:api:shipments:read allegro:api:shipments:write "
                        "allegro:api:profile:read allegro:api:billing:read allegro:api:disputes";
constexpr auto kSellerId = "437848322";

// The client id from "Basic base64(id:secret)", or empty when the header is not Basic auth.
QString basicClientId(const QByteArray &authorization)
{
    if (!authorization.startsWith("Basic "))
        return {};
    const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon <= 0)
        return {};
    return QString::fromUtf8(decoded.left(colon));
}

TrainingResponse unauthorized()
{
    return TrainingResponse::oauth(401, u"unauthorized"_s,
                                   u"Full authentication is required to access this resource"_s);
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

TrainingAuth::TrainingAuth(std::mt19937_64 *random)
    : m_random(random)
{}

QString TrainingAuth::randomText(int bytes)
{
    QByteArray data;
    data.reserve(bytes);
    for (int i = 0; i < bytes; ++i)
        data.append(char((*m_random)() & 0xff));
    // The serial keeps strings unique when a restarted server repeats its seed.
    return QString::number(++m_serial, 36) + QString::fromLatin1(data.toHex());
}

QString TrainingAuth::makeAccessToken(const QString &clientId, qint64 expiresAt)
{
    // Shaped like Allegro's RS256 JWT (header.payload.signature) so that clients reading `exp` work; the signature
    // is random and nothing checks it.
    const QByteArray header =
        QJsonDocument(QJsonObject{{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}}).toJson(QJsonDocument::Compact);
    const QJsonObject payload{{u"user_name"_s, QString::fromLatin1(kSellerId)},
                              {u"exp"_s, expiresAt / 1000},
                              {u"jti"_s, randomText(8)},
                              {u"client_id"_s, clientId},
                              {u"allegro_api"_s, true},
                              {u"scope"_s, QJsonArray::fromStringList(QString::fromLatin1(kScope).split(u' '))}};
    const QString signature = randomText(24);
    return QString::fromLatin1(base64Url(header) + '.' +
                               base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact)) + '.' +
                               base64Url(signature.toLatin1()));
}

QJsonObject TrainingAuth::newPair(const QString &clientId, qint64 now)
{
    Pair pair;
    pair.clientId = clientId;
    pair.accessExpiresAt = now + qint64(kAccessSeconds) * 1000;
    pair.refreshExpiresAt = now + kRefreshLifetimeMs;
    pair.access = makeAccessToken(clientId, pair.accessExpiresAt);
    const QString refresh = makeAccessToken(clientId, pair.refreshExpiresAt);
    m_pairs.insert(refresh, pair);
    m_accessToRefresh.insert(pair.access, refresh);
    return QJsonObject{{u"access_token"_s, pair.access},
                       {u"token_type"_s, u"bearer"_s},
                       {u"refresh_token"_s, refresh},
                       {u"expires_in"_s, kAccessSeconds},
                       {u"scope"_s, QString::fromLatin1(kScope)},
                       {u"allegro_api"_s, true},
                       {u"jti"_s, randomText(16)}};
}

QJsonObject TrainingAuth::issuePair(const QString &clientId, qint64 now)
{
    return newPair(clientId, now);
}

TrainingResponse TrainingAuth::startDevice(const QByteArray &authorization, const QUrlQuery &params,
                                           const QString &baseUrl, qint64 now)
{
    QString clientId = basicClientId(authorization);
    if (clientId.isEmpty())
        return unauthorized();
    if (params.hasQueryItem(u"client_id"_s))
        clientId = params.queryItemValue(u"client_id"_s);
    Device device;
    device.clientId = clientId;
    device.expiresAt = now + qint64(kDeviceSeconds) * 1000;
    static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    for (int i = 0; i < 9; ++i)
        device.userCode.append(QLatin1Char(kAlphabet[(*m_random)() % (sizeof(kAlphabet) - 1)]));
    device.approved = m_autoApprove;
    const QString deviceCode = randomText(20);
    m_devices.insert(deviceCode, device);
    qCInfo(lcTraining) << "device code issued, user code" << device.userCode;
    const QString verification = baseUrl + u"/skojarz-aplikacje"_s;
    return TrainingResponse::ok(
        {{u"device_code"_s, deviceCode},
         {u"expires_in"_s, kDeviceSeconds},
         {u"user_code"_s, device.userCode},
         {u"interval"_s, 5},
         {u"verification_uri"_s, verification},
         {u"verification_uri_complete"_s, QString(verification + u"?code="_s + device.userCode)}});
}

bool TrainingAuth::knowsUserCode(const QString &userCode, qint64 now) const
{
    for (const Device &device : m_devices) {
        if (device.userCode == userCode && !device.used && device.expiresAt > now)
            return true;
    }
    return false;
}

bool TrainingAuth::approve(const QString &userCode, qint64 now)
{
    for (Device &device : m_devices) {
        if (device.userCode == userCode && !device.used && device.expiresAt > now) {
            device.approved = true;
            return true;
        }
    }
    return false;
}

TrainingResponse TrainingAuth::token(const QByteArray &authorization, const QUrlQuery &params, qint64 now)
{
    const QString clientId = basicClientId(authorization);
    if (clientId.isEmpty())
        return unauthorized();
    const QString grant = params.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded);
    if (grant == u"urn:ietf:params:oauth:grant-type:device_code") {
        const QString code = params.queryItemValue(u"device_code"_s, QUrl::FullyDecoded);
        auto it = m_devices.find(code);
        if (it == m_devices.end() || it->used || it->expiresAt <= now)
            return TrainingResponse::oauth(400, u"invalid_request"_s, u"Invalid device code"_s);
        if (!it->approved)
            return TrainingResponse::oauth(400, u"authorization_pending"_s,
                                           u"User has not authorized the device code yet."_s);
        it->used = true;
        return TrainingResponse::ok(newPair(it->clientId, now));
    }
    if (grant == u"refresh_token") {
        const QString refresh = params.queryItemValue(u"refresh_token"_s, QUrl::FullyDecoded);
        auto it = m_pairs.find(refresh);
        if (it == m_pairs.end() || it->refreshExpiresAt <= now ||
            (it->refreshUsedAt != 0 && now - it->refreshUsedAt > qint64(kRefreshGraceSeconds) * 1000))
            return TrainingResponse::oauth(400, u"invalid_grant"_s, u"Invalid refresh token: "_s + refresh.left(20));
        if (it->refreshUsedAt == 0)
            it->refreshUsedAt = now;
        it->accessRetired = true;
        const QString client = it->clientId;
        return TrainingResponse::ok(newPair(client, now));
    }
    if (grant == u"client_credentials") {
        QJsonObject pair = newPair(clientId, now);
        pair.remove(u"refresh_token"_s);
        return TrainingResponse::ok(pair);
    }
    return TrainingResponse::oauth(400, u"unsupported_grant_type"_s, u"Unsupported grant type: "_s + grant);
}

std::optional<TrainingResponse> TrainingAuth::checkAccess(const QByteArray &authorization, qint64 now) const
{
    if (!authorization.startsWith("Bearer "))
        return unauthorized();
    const QString access = QString::fromLatin1(authorization.mid(7).trimmed());
    const auto refresh = m_accessToRefresh.constFind(access);
    if (refresh == m_accessToRefresh.constEnd())
        return TrainingResponse::oauth(401, u"invalid_token"_s, u"Cannot convert access token to JSON"_s);
    const Pair &pair = m_pairs.value(*refresh);
    if (pair.accessRetired || pair.accessExpiresAt <= now)
        return TrainingResponse::oauth(401, u"invalid_token"_s, u"Access token expired: "_s + access.left(40));
    return std::nullopt;
}

QString TrainingAuth::clientOf(const QByteArray &authorization) const
{
    const QString access = QString::fromLatin1(authorization.mid(7).trimmed());
    return m_pairs.value(m_accessToRefresh.value(access)).clientId;
}

void TrainingAuth::expireAccessTokens(qint64 now)
{
    for (Pair &pair : m_pairs)
        pair.accessExpiresAt = qMin(pair.accessExpiresAt, now);
}

void TrainingAuth::revokeAll()
{
    m_pairs.clear();
    m_accessToRefresh.clear();
}

QJsonObject TrainingAuth::toJson() const
{
    QJsonArray devices;
    for (auto it = m_devices.cbegin(); it != m_devices.cend(); ++it) {
        devices.append(QJsonObject{{u"deviceCode"_s, it.key()},
                                   {u"userCode"_s, it->userCode},
                                   {u"clientId"_s, it->clientId},
                                   {u"expiresAt"_s, it->expiresAt},
                                   {u"approved"_s, it->approved},
                                   {u"used"_s, it->used}});
    }
    QJsonArray pairs;
    for (auto it = m_pairs.cbegin(); it != m_pairs.cend(); ++it) {
        pairs.append(QJsonObject{{u"refresh"_s, it.key()},
                                 {u"access"_s, it->access},
                                 {u"clientId"_s, it->clientId},
                                 {u"accessExpiresAt"_s, it->accessExpiresAt},
                                 {u"refreshExpiresAt"_s, it->refreshExpiresAt},
                                 {u"accessRetired"_s, it->accessRetired},
                                 {u"refreshUsedAt"_s, it->refreshUsedAt}});
    }
    return {{u"serial"_s, QString::number(m_serial)}, {u"devices"_s, devices}, {u"pairs"_s, pairs}};
}

void TrainingAuth::fromJson(const QJsonObject &json)
{
    m_serial = json.value(u"serial"_s).toString().toULongLong();
    m_devices.clear();
    m_pairs.clear();
    m_accessToRefresh.clear();
    for (const QJsonValue &value : json.value(u"devices"_s).toArray()) {
        const QJsonObject o = value.toObject();
        Device device;
        device.userCode = o.value(u"userCode"_s).toString();
        device.clientId = o.value(u"clientId"_s).toString();
        device.expiresAt = qint64(o.value(u"expiresAt"_s).toDouble());
        device.approved = o.value(u"approved"_s).toBool();
        device.used = o.value(u"used"_s).toBool();
        m_devices.insert(o.value(u"deviceCode"_s).toString(), device);
    }
    for (const QJsonValue &value : json.value(u"pairs"_s).toArray()) {
        const QJsonObject o = value.toObject();
        Pair pair;
        pair.access = o.value(u"access"_s).toString();
        pair.clientId = o.value(u"clientId"_s).toString();
        pair.accessExpiresAt = qint64(o.value(u"accessExpiresAt"_s).toDouble());
        pair.refreshExpiresAt = qint64(o.value(u"refreshExpiresAt"_s).toDouble());
        pair.accessRetired = o.value(u"accessRetired"_s).toBool();
        pair.refreshUsedAt = qint64(o.value(u"refreshUsedAt"_s).toDouble());
        const QString refresh = o.value(u"refresh"_s).toString();
        m_pairs.insert(refresh, pair);
        m_accessToRefresh.insert(pair.access, refresh);
    }
}

} // namespace sd::marketplace::training
