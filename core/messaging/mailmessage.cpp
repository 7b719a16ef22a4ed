#include "messaging/mailmessage.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QUuid>

namespace sd::messaging {

namespace {

bool plainAscii(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    return true;
}

// A phrase that needs no quoting in a header (RFC 5322 atext plus spaces).
bool plainPhrase(const QString &text)
{
    if (!plainAscii(text))
        return false;
    for (const QChar c : text)
        if (QStringLiteral("()<>[]:;@\\,.\"").contains(c))
            return false;
    return true;
}

QByteArray boundary(const char *kind, const MailMessage &message)
{
    // Unique per message and never found in base64 or in our headers ("=_" cannot occur in base64 text).
    const QByteArray seed = message.messageId.isEmpty() ? QUuid::createUuid().toByteArray() : message.messageId;
    return "=_sd_" + QByteArray(kind) + '_' +
           QCryptographicHash::hash(QByteArray(seed + kind), QCryptographicHash::Sha1).toHex().left(24);
}

QByteArray textPart(const QByteArray &type, const QString &text)
{
    QString normalized = text;
    normalized.replace(u"\r\n"_qs, u"\n"_qs);
    normalized.replace(u'\n', u"\r\n"_qs);
    return "Content-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           MimeBuilder::base64Lines(normalized.toUtf8());
}

// RFC 2231 would be the strict way for a file name; mail programs read RFC 2047 in quoted parameters too, and
// that is what they send themselves, so both are given.
QByteArray attachmentPart(const MailAttachment &attachment)
{
    const QByteArray name = MimeBuilder::encodeWord(attachment.fileName);
    const QByteArray quoted = '"' + QByteArray(name).replace('"', "'") + '"';
    const QByteArray type =
        attachment.mimeType.isEmpty() ? QByteArray("application/octet-stream") : attachment.mimeType;
    return "Content-Type: " + type + ";\r\n name=" + quoted + "\r\nContent-Transfer-Encoding: base64\r\n" +
           "Content-Disposition: attachment;\r\n filename=" + quoted + "\r\n\r\n" +
           MimeBuilder::base64Lines(attachment.data);
}

QByteArray multipart(const QByteArray &subtype, const QByteArray &bound, const QList<QByteArray> &parts)
{
    QByteArray out = "Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + bound + "\"\r\n\r\n";
    for (const QByteArray &part : parts)
        out += "--" + bound + "\r\n" + part + "\r\n";
    out += "--" + bound + "--\r\n";
    return out;
}

} // namespace

QByteArray MimeBuilder::encodeWord(const QString &text)
{
    if (plainAscii(text))
        return text.toLatin1();
    // 39 bytes of UTF-8 are 52 base64 characters, a word of 64: with "Subject: " or ' filename="' in front a
    // line stays under 78 characters (RFC 5322's recommended limit; 75 is RFC 2047's for a word).
    constexpr int kMaxBytes = 39;
    QByteArray out;
    QByteArray chunk;
    for (int i = 0; i < text.size(); ++i) {
        int length = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const QByteArray bytes = text.mid(i, length).toUtf8();
        i += length - 1;
        if (chunk.size() + bytes.size() > kMaxBytes) {
            out += (out.isEmpty() ? "" : "\r\n ") + ("=?UTF-8?B?" + chunk.toBase64() + "?=");
            chunk.clear();
        }
        chunk += bytes;
    }
    if (!chunk.isEmpty())
        out += (out.isEmpty() ? "" : "\r\n ") + ("=?UTF-8?B?" + chunk.toBase64() + "?=");
    return out;
}

QByteArray MimeBuilder::formatAddress(const MailAddress &address)
{
    const QByteArray addr = '<' + address.address.trimmed().toLatin1() + '>';
    const QString name = address.name.trimmed();
    if (name.isEmpty())
        return addr;
    if (plainPhrase(name))
        return name.toLatin1() + ' ' + addr;
    if (plainAscii(name))
        return '"' + name.toLatin1().replace('\\', "\\\\").replace('"', "\\\"") + "\" " + addr;
    return encodeWord(name) + "\r\n " + addr;
}

QByteArray MimeBuilder::base64Lines(const QByteArray &data)
{
    const QByteArray encoded = data.toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
    for (int i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + "\r\n";
    return out;
}

QByteArray MimeBuilder::build(const MailMessage &message, const QDateTime &date)
{
    QByteArray head;
    // RFC 5322 date in English whatever the user's language, with the numeric zone.
    const int offset = date.offsetFromUtc();
    head += "Date: " + QLocale::c().toString(date, u"ddd, dd MMM yyyy HH:mm:ss "_qs).toLatin1() +
            (offset >= 0 ? "+" : "-") +
            QByteArray::number(qAbs(offset) / 3600 * 100 + qAbs(offset) % 3600 / 60).rightJustified(4, '0') + "\r\n";
    head += "From: " + formatAddress(message.from) + "\r\n";
    QList<QByteArray> recipients;
    for (const MailAddress &to : message.to)
        recipients.append(formatAddress(to));
    head += "To: " + recipients.join(",\r\n ") + "\r\n";
    if (!message.replyTo.address.isEmpty())
        head += "Reply-To: " + formatAddress(message.replyTo) + "\r\n";
    head += "Subject: " + encodeWord(message.subject) + "\r\n";
    const QByteArray id = message.messageId.isEmpty()
                              ? QUuid::createUuid().toByteArray(QUuid::WithoutBraces) + "@sellerdesk.invalid"
                              : message.messageId;
    head += "Message-ID: <" + id + ">\r\n";
    head += "MIME-Version: 1.0\r\n";

    QByteArray body = textPart("text/plain", message.text);
    if (!message.html.isEmpty())
        body = multipart("alternative", boundary("alt", message), {body, textPart("text/html", message.html)});
    if (!message.attachments.isEmpty()) {
        QList<QByteArray> parts{body};
        for (const MailAttachment &attachment : message.attachments)
            parts.append(attachmentPart(attachment));
        body = multipart("mixed", boundary("mix", message), parts);
    }
    return head + body;
}

} // namespace sd::messaging
