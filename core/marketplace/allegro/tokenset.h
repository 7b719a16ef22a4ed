#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace sd::marketplace::allegro {

// An access + refresh token pair as kept in the SecretStore (never in the database). generation is the
// account's token_generation when this pair was stored.
struct TokenSet
{
    QByteArray accessToken;
    QByteArray refreshToken;
    QDateTime expiresAt;
    QString scope;
    qint64 generation = 0;

    bool isValid() const { return !accessToken.isEmpty(); }
    bool expiresWithin(qint64 seconds) const;

    QByteArray toJson() const;
    static std::optional<TokenSet> fromJson(const QByteArray &json);
    // An OAuth token response ({"access_token","refresh_token","expires_in",...}).
    static std::optional<TokenSet> fromTokenResponse(const QByteArray &body);
};

} // namespace sd::marketplace::allegro
