#include "domain/nip.h"

#include <QCoreApplication>

namespace sd::domain {

namespace {

Error invalid(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

} // namespace

Result<Nip> Nip::parse(const QString &text)
{
    QStringView rest = QStringView(text).trimmed();
    // The EU VAT form carries the country prefix; people also write it with a space after it.
    if (rest.startsWith(u"PL", Qt::CaseInsensitive))
        rest = rest.mid(2);

    QString digits;
    for (QChar c : rest) {
        if (c >= u'0' && c <= u'9')
            digits += c;
        else if (c != u'-' && !c.isSpace())
            return invalid(QCoreApplication::translate("sd::domain", "NIP \"%1\" contains \"%2\", which is not a digit")
                               .arg(text, c));
    }
    if (digits.size() != 10)
        return invalid(QCoreApplication::translate("sd::domain", "NIP \"%1\" has %2 digits instead of 10")
                           .arg(text, QString::number(digits.size())));
    if (digits.count(u'0') == 10)
        return invalid(QCoreApplication::translate("sd::domain", "NIP %1 is all zeros").arg(text));

    static constexpr int kWeights[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    int sum = 0;
    for (int i = 0; i < 9; ++i)
        sum += kWeights[i] * (digits[i].unicode() - u'0');
    // A remainder of 10 matches no digit: no NIP is issued with such a body.
    if (sum % 11 != digits[9].unicode() - u'0')
        return invalid(QCoreApplication::translate("sd::domain", "NIP %1 has a wrong check digit").arg(text));
    return Nip(digits);
}

QString Nip::formatted() const
{
    if (m_digits.size() != 10)
        return m_digits;
    return m_digits.left(3) + u'-' + m_digits.mid(3, 3) + u'-' + m_digits.mid(6, 2) + u'-' + m_digits.mid(8, 2);
}

} // namespace sd::domain
