#include "messaging/smsgateway.h"

#include "marketplace/allegro/httptransport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace sd::messaging {

namespace {

// The GSM 03.38 basic set (one septet each) and its extension table (two septets: escape + code).
const QString kGsmBasic =
    u"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"_qs;
const QString kGsmExtended = u"^{}\\[~]|€\f"_qs;

} // namespace

SmsLength SmsLength::of(const QString &text)
{
    SmsLength length;
    int septets = 0;
    for (const QChar c : text) {
        if (kGsmBasic.contains(c)) {
            septets += 1;
        } else if (kGsmExtended.contains(c)) {
            septets += 2;
        } else {
            length.unicode = true;
            break;
        }
    }
    if (length.unicode) {
        length.characters = int(text.size()); // UTF-16 code units, as UCS-2 counts them
        length.perPart = length.characters > 70 ? 67 : 70;
    } else {
        length.characters = septets;
        length.perPart = septets > 160 ? 153 : 160;
    }
    length.parts = length.characters == 0 ? 0 : (length.characters + length.perPart - 1) / length.perPart;
    length.remaining = length.parts == 0 ? length.perPart : length.parts * length.perPart - length.characters;
    return length;
}

Result<QString> SmsGateway::msisdn(const QString &phone)
{
    QString digits;
    for (const QChar c : phone)
        if (c.isDigit())
            digits.append(c);
    if (phone.trimmed().startsWith(u"00"_qs))
        digits = digits.mid(2);
    if (digits.size() == 9 && !phone.trimmed().startsWith(u'+'))
        digits.prepend(u"48"_qs);
    if (digits.size() < 10 || digits.size() > 15)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "\"%1\" is not a mobile phone number.").arg(phone));
    return digits;
}

Result<SmsGateway::Sent> SmsGateway::send(const SmsAccount &account, const QByteArray &token, const QString &to,
                                          const QString &text, const QString &idempotencyKey, bool test, int timeoutMs)
{
    auto number = msisdn(to);
    if (!number)
        return number.error();
    if (text.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::messaging", "The SMS has no text."));
    QUrlQuery form;
    form.addQueryItem(u"to"_qs, *number);
    form.addQueryItem(u"message"_qs, text);
    form.addQueryItem(u"format"_qs, u"json"_qs);
    form.addQueryItem(u"encoding"_qs, u"utf-8"_qs);
    // SMSAPI keeps idx values and refuses a repeated one with check_idx: the gateway's own guard against a resend.
    form.addQueryItem(u"idx"_qs, QString::fromLatin1(idempotencyKey.toUtf8().toHex().left(64)));
    form.addQueryItem(u"check_idx"_qs, u"1"_qs);
    if (!account.sender.isEmpty())
        form.addQueryItem(u"from"_qs, account.sender);
    if (test)
        form.addQueryItem(u"test"_qs, u"1"_qs);

    marketplace::allegro::HttpRequest request;
    request.method = "POST";
    QString base = account.baseUrl.toString();
    while (base.endsWith(u'/'))
        base.chop(1);
    request.url = QUrl(base + u"/sms.do"_qs);
    request.headers = {{"Authorization", "Bearer " + token},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    // Form encoding: '+' must not be read as a space, so every reserved character is percent-encoded.
    QByteArray body;
    for (const auto &[key, value] : form.queryItems(QUrl::FullyDecoded)) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    request.body = body;
    const auto response = marketplace::allegro::HttpTransport(timeoutMs).send(request);
    if (response.status == 0)
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::messaging", "The SMS gateway could not be reached."),
                         response.networkError);
    const QJsonObject reply = QJsonDocument::fromJson(response.body).object();
    if (reply.contains(u"error"_qs) || response.status >= 400) {
        const int code = reply.value(u"error"_qs).toInt(response.status);
        const QString message = reply.value(u"message"_qs).toString();
        const QString detail = u"HTTP %1, error %2: %3"_qs.arg(response.status).arg(code).arg(message);
        if (response.status >= 500)
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::messaging", "The SMS gateway failed; it will be tried again."),
                detail);
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "The SMS gateway refused the message: %1").arg(message),
            detail);
    }
    const QJsonObject first = reply.value(u"list"_qs).toArray().at(0).toObject();
    if (first.isEmpty())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::messaging", "The SMS gateway's answer was not understood."),
                         QString::fromUtf8(response.body.left(200)));
    return Sent{first.value(u"id"_qs).toString(), first.value(u"parts"_qs).toInt(1),
                first.value(u"status"_qs).toString()};
}

} // namespace sd::messaging
