#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

namespace sd::marketplace::training {

// One answer of the training marketplace before it goes on the wire. Resource errors keep the English source of
// their userMessage so that the server can translate it per request (Accept-Language) when it renders the body.
struct TrainingResponse
{
    enum class Kind { Json, Empty, Raw, ResourceError, OAuthError };

    Kind kind = Kind::Empty;
    int status = 204;
    QJsonObject json;
    QByteArray bytes;
    QByteArray contentType; // for Raw; Json takes the API or OAuth media type from the route
    QList<std::pair<QByteArray, QByteArray>> headers;
    // ResourceError: code, message (English, for the developer), userMessage source, path
    QString code;
    QString message;
    const char *userSource = nullptr;
    QString path;
    // OAuthError: error and error_description
    QString oauthError;

    bool isError() const { return status >= 400; }
    TrainingResponse &withHeader(QByteArray name, QByteArray value);

    static TrainingResponse ok(QJsonObject body, int status = 200);
    static TrainingResponse empty(int status = 204);
    static TrainingResponse raw(int status, QByteArray body, QByteArray contentType);
    // userSource is a QT_TRANSLATE_NOOP("sd::training", ...) literal.
    static TrainingResponse error(int status, QString code, QString message, const char *userSource, QString path = {});
    static TrainingResponse validation(QString message, const char *userSource, QString path = {});
    static TrainingResponse oauth(int status, QString error, QString description);

    // The body as sent; userMessage translated when polish is true.
    QByteArray body(bool polish) const;
};

} // namespace sd::marketplace::training
