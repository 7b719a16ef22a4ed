#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace sd::messaging {

struct MailAddress
{
    QString address; // plain ASCII addr-spec: anna@example.pl
    QString name;    // any Unicode: "Anna Żółć"
};

struct MailAttachment
{
    QString fileName;    // shown to the recipient, may hold Polish letters
    QByteArray mimeType; // application/pdf
    QByteArray data;
};

// One e-mail as people see it; MimeBuilder turns it into the bytes SMTP sends.
struct MailMessage
{
    MailAddress from;
    QList<MailAddress> to;
    MailAddress replyTo;
    QString subject;
    QString text; // the text/plain part (always sent)
    QString html; // the text/html alternative, empty for none
    QList<MailAttachment> attachments;
    QByteArray messageId; // without angle brackets; derived from the idempotency key, so a resend is recognisable
};

// Internet Message Format (RFC 5322) with MIME (RFC 2045-2049): UTF-8 subjects and names as RFC 2047 encoded-words,
// text and HTML as multipart/alternative, attachments (base64) in multipart/mixed, CRLF line ends, no line longer
// than 76 characters in encoded parts.
class MimeBuilder
{
public:
    static QByteArray build(const MailMessage &message, const QDateTime &date = QDateTime::currentDateTime());
    // "=?UTF-8?B?...?=" words (each at most 75 characters, never splitting a character) when the text is not plain
    // printable ASCII; the text itself otherwise.
    static QByteArray encodeWord(const QString &text);
    // "Name" <addr> with the name encoded when needed.
    static QByteArray formatAddress(const MailAddress &address);
    // Base64 wrapped at 76 characters with CRLF.
    static QByteArray base64Lines(const QByteArray &data);
};

} // namespace sd::messaging
