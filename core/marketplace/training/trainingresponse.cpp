#include "marketplace/training/trainingresponse.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

namespace {

// Polish userMessages come from SellerDesk's own Polish catalogue whatever language the program runs in.
// No parent: the first answer may be sent from the server's own thread, and the application object lives in
// another one. It lives as long as the process.
const QTranslator *polishTranslator()
{
    static QTranslator *translator = [] {
        auto *t = new QTranslator;
        const QStringList places = {
            QCoreApplication::applicationDirPath() + u"/translations"_s,
            QCoreApplication::applicationDirPath() + u"/../share/sellerdesk/translations"_s,
        };
        for (const QString &dir : places) {
            if (t->load(u"sellerdesk_pl"_s, dir))
                break;
        }
        return t;
    }();
    return translator;
}

} // namespace

TrainingResponse &TrainingResponse::withHeader(QByteArray name, QByteArray value)
{
    headers.append({std::move(name), std::move(value)});
    return *this;
}

TrainingResponse TrainingResponse::ok(QJsonObject body, int status)
{
    TrainingResponse r;
    r.kind = Kind::Json;
    r.status = status;
    r.json = std::move(body);
    return r;
}

TrainingResponse TrainingResponse::empty(int status)
{
    TrainingResponse r;
    r.kind = Kind::Empty;
    r.status = status;
    return r;
}

TrainingResponse TrainingResponse::raw(int status, QByteArray body, QByteArray contentType)
{
    TrainingResponse r;
    r.kind = Kind::Raw;
    r.status = status;
    r.bytes = std::move(body);
    r.contentType = std::move(contentType);
    return r;
}

TrainingResponse TrainingResponse::error(int status, QString code, QString message, const char *userSource,
                                         QString path)
{
    TrainingResponse r;
    r.kind = Kind::ResourceError;
    r.status = status;
    r.code = std::move(code);
    r.message = std::move(message);
    r.userSource = userSource;
    r.path = std::move(path);
    return r;
}

TrainingResponse TrainingResponse::validation(QString message, const char *userSource, QString path)
{
    return error(422, u"VALIDATION_ERROR"_s, std::move(message), userSource, std::move(path));
}

TrainingResponse TrainingResponse::oauth(int status, QString error, QString description)
{
    TrainingResponse r;
    r.kind = Kind::OAuthError;
    r.status = status;
    r.oauthError = std::move(error);
    r.message = std::move(description);
    return r;
}

QByteArray TrainingResponse::body(bool polish) const
{
    switch (kind) {
    case Kind::Json:
        return QJsonDocument(json).toJson(QJsonDocument::Compact);
    case Kind::Empty:
        return {};
    case Kind::Raw:
        return bytes;
    case Kind::OAuthError:
        return QJsonDocument(QJsonObject{{u"error"_s, oauthError}, {u"error_description"_s, message}})
            .toJson(QJsonDocument::Compact);
    case Kind::ResourceError: {
        QString user = message;
        if (userSource) {
            user = QString::fromUtf8(userSource);
            if (polish) {
                const QString translated = polishTranslator()->translate("sd::training", userSource);
                if (!translated.isEmpty())
                    user = translated;
            }
        }
        const QJsonObject error{{u"code"_s, code},
                                {u"message"_s, message},
                                {u"details"_s, QJsonValue::Null},
                                {u"path"_s, path.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(path)},
                                {u"userMessage"_s, user},
                                {u"metadata"_s, QJsonObject()}};
        return QJsonDocument(QJsonObject{{u"errors"_s, QJsonArray{error}}}).toJson(QJsonDocument::Compact);
    }
    }
    return {};
}

} // namespace sd::marketplace::training
