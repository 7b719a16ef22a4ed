#include "domain/ean.h"

#include <QCoreApplication>

namespace sd::domain {

namespace {

Error invalid(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

} // namespace

QChar Ean::checkDigit(QStringView body)
{
    if (body.isEmpty())
        return {};
    int sum = 0;
    // Weights 3, 1, 3, ... from the rightmost body digit, whatever the length.
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body[body.size() - 1 - i];
        if (c < u'0' || c > u'9')
            return {};
        sum += (c.unicode() - u'0') * (i % 2 == 0 ? 3 : 1);
    }
    return QChar(u'0' + (10 - sum % 10) % 10);
}

Result<Ean> Ean::parse(const QString &text)
{
    QString code;
    for (QChar c : QStringView(text).trimmed()) {
        if (c >= u'0' && c <= u'9')
            code += c;
        else if (!c.isSpace())
            return invalid(QCoreApplication::translate("sd::domain", "EAN \"%1\" contains \"%2\", which is not a digit")
                               .arg(text, c));
    }
    const qsizetype length = code.size();
    if (length != 8 && length != 12 && length != 13 && length != 14)
        return invalid(QCoreApplication::translate("sd::domain", "EAN \"%1\" has %2 digits; a GTIN has 8, 12, 13 or 14")
                           .arg(text, QString::number(length)));
    // Marketplaces fill an unknown EAN with zeros; its check digit is valid but it names no product.
    if (code.count(u'0') == length)
        return invalid(QCoreApplication::translate("sd::domain", "EAN %1 is all zeros").arg(text));
    if (checkDigit(QStringView(code).chopped(1)) != code.back())
        return invalid(QCoreApplication::translate("sd::domain", "EAN %1 has a wrong check digit").arg(text));
    return Ean(code);
}

} // namespace sd::domain
