#include "marketplace/allegro/apierror.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sd::marketplace::allegro {

ApiError ApiError::parse(int status, const QByteArray &body)
{
    ApiError error;
    error.status = status;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (const QJsonArray errors = root.value(u"errors").toArray(); !errors.isEmpty()) {
        const QJsonObject first = errors.first().toObject();
        error.code = first.value(u"code").toString();
        error.message = first.value(u"message").toString();
        error.userMessage = first.value(u"userMessage").toString();
        error.path = first.value(u"path").toString();
    } else if (root.contains(u"error")) {
        error.code = root.value(u"error").toString();
        error.message = root.value(u"error_description").toString();
    } else if (!body.isEmpty()) {
        error.message = QString::fromUtf8(body.left(200));
    }
    return error;
}

Error ApiError::toError(const QString &what) const
{
    Error::Code code = Error::Code::Io;
    QString message;
    switch (status) {
    case 400:
    case 422:
        code = Error::Code::Invalid;
        message =
            QCoreApplication::translate("sd::allegro", "Allegro refused %1: the data was not accepted.").arg(what);
        break;
    case 401:
    case 403:
        code = Error::Code::Invalid;
        message = QCoreApplication::translate(
                      "sd::allegro", "Allegro refused %1: the account is not authorised. Connect the account again.")
                      .arg(what);
        break;
    case 404:
        code = Error::Code::NotFound;
        message = QCoreApplication::translate("sd::allegro", "Allegro does not know %1.").arg(what);
        break;
    case 409:
        code = Error::Code::Conflict;
        message = QCoreApplication::translate("sd::allegro", "Allegro refused %1: it conflicts with a change made "
                                                             "meanwhile or done before.")
                      .arg(what);
        break;
    case 429:
        message =
            QCoreApplication::translate("sd::allegro", "Allegro is limiting requests; %1 will be tried again later.")
                .arg(what);
        break;
    case 0:
        message = QCoreApplication::translate("sd::allegro", "Allegro did not answer %1 (no connection or timeout).")
                      .arg(what);
        break;
    default:
        message =
            QCoreApplication::translate("sd::allegro", "Allegro failed to handle %1 (HTTP %2).").arg(what).arg(status);
    }
    if (!userMessage.isEmpty())
        message += u' ' + userMessage;
    return makeError(code, message,
                     QStringLiteral("HTTP %1 %2: %3%4")
                         .arg(status)
                         .arg(this->code.isEmpty() ? QStringLiteral("-") : this->code, this->message,
                              path.isEmpty() ? QString() : QStringLiteral(" (") + path + u')'));
}

} // namespace sd::marketplace::allegro
