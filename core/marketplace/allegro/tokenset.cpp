#include "marketplace/allegro/tokenset.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

namespace sd::marketplace::allegro {

bool TokenSet::expiresWithin(qint64 seconds) const
{
    return expiresAt.isValid() && QDateTime::currentDateTimeUtc().secsTo(expiresAt) < seconds;
}

QByteArray TokenSet::toJson() const
{
    return QJsonDocument(QJsonObject{{u"access_token"_qs, QString::fromLatin1(accessToken)},
                                     {u"refresh_token"_qs, QString::fromLatin1(refreshToken)},
                                     {u"expires_at"_qs, expiresAt.toMSecsSinceEpoch()},
                                     {u"scope"_qs, scope},
                                     {u"generation"_qs, generation}})
        .toJson(QJsonDocument::Compact);
}

std::optional<TokenSet> TokenSet::fromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    TokenSet t;
    t.accessToken = o.value(u"access_token").toString().toLatin1();
    t.refreshToken = o.value(u"refresh_token").toString().toLatin1();
    t.expiresAt = QDateTime::fromMSecsSinceEpoch(qint64(o.value(u"expires_at").toDouble()), Qt::UTC);
    t.scope = o.value(u"scope").toString();
    t.generation = qint64(o.value(u"generation").toDouble());
    if (!t.isValid())
        return std::nullopt;
    return t;
}

std::optional<TokenSet> TokenSet::fromTokenResponse(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    TokenSet t;
    t.accessToken = o.value(u"access_token").toString().toLatin1();
    t.refreshToken = o.value(u"refresh_token").toString().toLatin1();
    t.scope = o.value(u"scope").toString();
    const int expiresIn = o.value(u"expires_in").toInt(43199);
    t.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
    if (!t.isValid())
        return std::nullopt;
    return t;
}

} // namespace sd::marketplace::allegro
