#include "domain/contact.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::domain {

namespace {

constexpr qsizetype kMaxE164Digits = 15; // ITU-T E.164, country code included
constexpr qsizetype kMinE164Digits = 8;  // the shortest subscriber numbers with their country code
constexpr qsizetype kPolishDigits = 9;   // national significant number in Poland
constexpr qsizetype kMaxEmailLength = 254;
constexpr qsizetype kMaxLocalPartLength = 64;

Error invalid(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

bool isPhoneSeparator(QChar c)
{
    return c.isSpace() || c == u'-' || c == u'(' || c == u')' || c == u'.' || c == u'/';
}

} // namespace

Result<Phone> Phone::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QCoreApplication::translate("sd::domain", "The phone number is empty"));

    bool international = false;
    QString digits;
    for (qsizetype i = 0; i < trimmed.size(); ++i) {
        const QChar c = trimmed[i];
        if (c >= u'0' && c <= u'9')
            digits += c;
        else if (c == u'+' && i == 0)
            international = true;
        else if (!isPhoneSeparator(c))
            return invalid(
                QCoreApplication::translate(
                    "sd::domain", "The phone number \"%1\" contains \"%2\", which is not a digit or a separator")
                    .arg(text, c));
    }

    if (!international && digits.startsWith(u"00")) {
        international = true;
        digits.remove(0, 2);
    } else if (!international && digits.size() == kPolishDigits + 1 && digits.startsWith(u'0')) {
        // The old trunk prefix: "0 22 123 45 67".
        digits.remove(0, 1);
    }
    if (!international) {
        // A Polish number, written with or without its country code.
        if (digits.size() == kPolishDigits + 2 && digits.startsWith(u"48"))
            digits.remove(0, 2);
        if (digits.size() != kPolishDigits)
            return invalid(QCoreApplication::translate("sd::domain",
                                                       "The phone number \"%1\" has %2 digits; a Polish number has 9, "
                                                       "others need + and the country code")
                               .arg(text, QString::number(digits.size())));
        digits.prepend(u"48");
    }

    if (digits.startsWith(u'0'))
        return invalid(
            QCoreApplication::translate("sd::domain", "The phone number \"%1\" has a country code starting with 0")
                .arg(text));
    if (digits.size() < kMinE164Digits || digits.size() > kMaxE164Digits)
        return invalid(QCoreApplication::translate("sd::domain",
                                                   "The phone number \"%1\" has %2 digits with its country code; "
                                                   "an international number has 8 to 15")
                           .arg(text, QString::number(digits.size())));
    if (digits.startsWith(u"48") && digits.size() != kPolishDigits + 2)
        return invalid(QCoreApplication::translate(
                           "sd::domain", "The phone number \"%1\" has %2 digits after +48; a Polish number has 9")
                           .arg(text, QString::number(digits.size() - 2)));
    return Phone(u'+' + digits);
}

Result<Email> Email::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QCoreApplication::translate("sd::domain", "The e-mail address is empty"));
    if (trimmed.size() > kMaxEmailLength)
        return invalid(
            QCoreApplication::translate("sd::domain", "The e-mail address \"%1\" is longer than %2 characters")
                .arg(trimmed, QString::number(kMaxEmailLength)));
    for (QChar c : trimmed) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return invalid(QCoreApplication::translate(
                               "sd::domain", "The e-mail address \"%1\" contains a space or a control character")
                               .arg(trimmed));
    }
    if (trimmed.count(u'@') != 1)
        return invalid(QCoreApplication::translate("sd::domain", "The e-mail address \"%1\" must contain exactly one @")
                           .arg(trimmed));

    const qsizetype at = trimmed.indexOf(u'@');
    const QString local = trimmed.left(at);
    const QString domain = trimmed.mid(at + 1).toLower();
    if (local.isEmpty() || local.size() > kMaxLocalPartLength)
        return invalid(
            QCoreApplication::translate("sd::domain", "The e-mail address \"%1\" needs 1 to 64 characters before the @")
                .arg(trimmed));
    if (!domain.contains(u'.') || domain.startsWith(u'.') || domain.endsWith(u'.') || domain.contains(u"..") ||
        domain.startsWith(u'-'))
        return invalid(QCoreApplication::translate(
                           "sd::domain", "The e-mail address \"%1\" does not end in a domain such as example.pl")
                           .arg(trimmed));
    return Email(local + u'@' + domain);
}

} // namespace sd::domain
