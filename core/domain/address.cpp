#include "domain/address.h"

#include <QCoreApplication>

#include <algorithm>

namespace sd::domain {

namespace {

bool blank(const QString &text)
{
    return text.trimmed().isEmpty();
}

Error invalid(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isPolishPostCode(QStringView code)
{
    if (code.size() != 6 || code[2] != u'-')
        return false;
    for (qsizetype i : {0, 1, 3, 4, 5}) {
        if (!isAsciiDigit(code[i]))
            return false;
    }
    return true;
}

} // namespace

bool Address::isEmpty() const
{
    return blank(firstName) && blank(lastName) && blank(companyName) && blank(street) && blank(city) &&
           blank(postCode) && blank(countryCode) && blank(phone);
}

Result<void> Address::validate() const
{
    if (blank(street))
        return invalid(QCoreApplication::translate("sd::domain", "The address has no street"));
    if (blank(city))
        return invalid(QCoreApplication::translate("sd::domain", "The address has no city"));
    if (blank(postCode))
        return invalid(QCoreApplication::translate("sd::domain", "The address has no post code"));
    if (blank(countryCode))
        return invalid(QCoreApplication::translate("sd::domain", "The address has no country code"));

    const QString country = countryCode.trimmed();
    if (country.size() != 2 ||
        !std::all_of(country.begin(), country.end(), [](QChar c) { return c >= u'A' && c <= u'Z'; }))
        return invalid(QCoreApplication::translate("sd::domain",
                                                   "The country code \"%1\" is not two upper-case letters, such as PL")
                           .arg(countryCode));
    if (country == u"PL" && !isPolishPostCode(QStringView(postCode).trimmed()))
        return invalid(QCoreApplication::translate("sd::domain",
                                                   "The post code \"%1\" is not a Polish post code of the form 00-000")
                           .arg(postCode));
    return {};
}

bool PickupPoint::isEmpty() const
{
    return blank(id) && blank(name) && blank(description) && address.isEmpty();
}

} // namespace sd::domain
