#include "domain/vatrate.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::domain {

Result<VatRate> VatRate::parse(const QString &text)
{
    QString code = text.trimmed().toLower();
    if (code.endsWith(u'%'))
        code = code.chopped(1).trimmed();

    if (code == u"zw")
        return exempt();
    if (code == u"np")
        return notSubject();
    if (code == u"oo")
        return reverseCharge();
    // The Polish rates in force; historic ones (22, 7, 3) and decimals are refused rather than guessed.
    for (int rate : {23, 8, 5, 0}) {
        if (code == QString::number(rate))
            return percent(rate);
    }
    return makeError(
        Error::Code::Invalid,
        QCoreApplication::translate("sd::domain", "The VAT rate \"%1\" is not one of 23, 8, 5, 0, zw, np, oo")
            .arg(text));
}

QString VatRate::code() const
{
    if (!m_valid)
        return {};
    switch (m_kind) {
    case Kind::Percent:
        return QString::number(m_percent);
    case Kind::Exempt:
        return u"zw"_s;
    case Kind::NotSubject:
        return u"np"_s;
    case Kind::ReverseCharge:
        return u"oo"_s;
    }
    return {};
}

} // namespace sd::domain
