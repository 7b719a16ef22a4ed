#include "domain/money.h"

#include <QCoreApplication>
#include <QLocale>
#include <QtNumeric>

#include <algorithm>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace sd::domain {

namespace {

struct CurrencyInfo
{
    QStringView code;
    int minorDigits;
};

// ISO 4217 codes a Polish seller meets; HUF and CZK keep their official two digits even where cash has none.
constexpr CurrencyInfo kCurrencies[] = {
    {u"PLN", 2}, {u"EUR", 2}, {u"USD", 2}, {u"GBP", 2}, {u"CZK", 2}, {u"HUF", 2}, {u"SEK", 2},
    {u"NOK", 2}, {u"DKK", 2}, {u"CHF", 2}, {u"RON", 2}, {u"BGN", 2}, {u"UAH", 2}, {u"JPY", 0},
    {u"CAD", 2}, {u"AUD", 2}, {u"CNY", 2}, {u"TRY", 2}, {u"ISK", 0}, {u"KRW", 0},
};

const CurrencyInfo *findCurrency(QStringView code)
{
    for (const CurrencyInfo &info : kCurrencies) {
        if (info.code == code)
            return &info;
    }
    return nullptr;
}

Error invalid(const QString &message)
{
    return makeError(Error::Code::Invalid, message);
}

bool isGroupSeparator(QChar c)
{
    // What people type and what QLocale prints: space, no-break space, narrow no-break space.
    return c == u' ' || c == QChar(0x00A0) || c == QChar(0x202F);
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

enum class Rounding { Exact, HalfAwayFromZero };

// The integer part, with optional group separators that must split it into threes ("1 234 567").
Result<QString> integerDigits(QStringView part, const QString &text)
{
    const auto misplaced = [&] {
        return invalid(
            QCoreApplication::translate(
                "sd::domain", "The amount \"%1\" has misplaced spaces; group digits by three, as in 1 234 567,89")
                .arg(text));
    };
    QString digits;
    qsizetype groupLength = 0;
    bool grouped = false;
    for (qsizetype i = 0; i < part.size(); ++i) {
        const QChar c = part[i];
        if (isGroupSeparator(c)) {
            if (groupLength == 0 || (grouped && groupLength != 3) || groupLength > 3)
                return misplaced();
            grouped = true;
            groupLength = 0;
        } else {
            digits += c;
            ++groupLength;
        }
    }
    if (grouped && groupLength != 3)
        return misplaced();
    return digits;
}

Result<Money> parseAmount(const QString &text, const QString &currency, Rounding rounding)
{
    const CurrencyInfo *info = findCurrency(currency);
    if (!info)
        return invalid(QCoreApplication::translate("sd::domain", "\"%1\" is not a known currency code").arg(currency));

    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QCoreApplication::translate("sd::domain", "The amount is empty"));

    QStringView rest(trimmed);
    bool negative = false;
    // U+2212 is the minus sign some locales print; accept it so a displayed amount can be pasted back.
    if (rest.front() == u'+' || rest.front() == u'-' || rest.front() == QChar(0x2212)) {
        negative = rest.front() != u'+';
        rest = rest.mid(1);
    }

    qsizetype separatorAt = -1;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QChar c = rest[i];
        if (c == u'.' || c == u',') {
            if (separatorAt >= 0)
                return invalid(QCoreApplication::translate("sd::domain",
                                                           "The amount \"%1\" has more than one decimal separator "
                                                           "(group thousands with spaces, not dots or commas)")
                                   .arg(text));
            separatorAt = i;
        } else if (!isAsciiDigit(c) && !isGroupSeparator(c)) {
            return invalid(
                QCoreApplication::translate("sd::domain", "The amount \"%1\" contains \"%2\", which is not a digit")
                    .arg(text, c));
        }
    }

    const QStringView integerPart = separatorAt >= 0 ? rest.left(separatorAt) : rest;
    const QStringView fractionPart = separatorAt >= 0 ? rest.mid(separatorAt + 1) : QStringView();
    if (integerPart.isEmpty() || (separatorAt >= 0 && fractionPart.isEmpty()))
        return invalid(QCoreApplication::translate(
                           "sd::domain", "The amount \"%1\" needs digits before and after the decimal separator")
                           .arg(text));
    for (QChar c : fractionPart) {
        if (!isAsciiDigit(c))
            return invalid(
                QCoreApplication::translate("sd::domain", "The amount \"%1\" has a space after the decimal separator")
                    .arg(text));
    }

    Result<QString> integer = integerDigits(integerPart, text);
    if (!integer)
        return integer.error();

    const int digits = info->minorDigits;
    const QStringView kept = fractionPart.left(digits);
    const QStringView extra = fractionPart.mid(digits);
    bool roundUp = false;
    if (!extra.isEmpty()) {
        // Trailing zeros change nothing, so "10.500" is an exact 10.50.
        const bool exact = std::all_of(extra.begin(), extra.end(), [](QChar c) { return c == u'0'; });
        if (rounding == Rounding::Exact && !exact)
            return invalid(QCoreApplication::translate("sd::domain",
                                                       "The amount \"%1\" has more decimal places than %2 allows (%3)")
                               .arg(text, currency, QString::number(digits)));
        roundUp = extra.front() >= u'5';
    }

    QString all = *integer + kept;
    all += QString(digits - kept.size(), u'0');
    qint64 minor = 0;
    bool overflow = false;
    for (QChar c : std::as_const(all))
        overflow = overflow || qMulOverflow(minor, qint64(10), &minor) ||
                   qAddOverflow(minor, qint64(c.unicode() - u'0'), &minor);
    if (roundUp)
        overflow = overflow || qAddOverflow(minor, qint64(1), &minor);
    if (overflow)
        return invalid(QCoreApplication::translate("sd::domain", "The amount \"%1\" is too large").arg(text));
    return Money(negative ? -minor : minor, currency);
}

} // namespace

Result<Money> Money::parse(const QString &text, const QString &currency)
{
    return parseAmount(text, currency, Rounding::Exact);
}

Result<Money> Money::parseRounded(const QString &text, const QString &currency)
{
    return parseAmount(text, currency, Rounding::HalfAwayFromZero);
}

bool Money::isKnownCurrency(const QString &currency)
{
    return findCurrency(currency) != nullptr;
}

int Money::minorDigits(const QString &currency)
{
    const CurrencyInfo *info = findCurrency(currency);
    return info ? info->minorDigits : 2;
}

QString Money::toDecimalString() const
{
    const int digits = minorDigits(m_currency);
    // Unsigned magnitude, so even the most negative qint64 prints correctly.
    const quint64 magnitude = m_minor < 0 ? 0 - quint64(m_minor) : quint64(m_minor);
    QString text = QString::number(magnitude).rightJustified(digits + 1, u'0');
    if (digits > 0)
        text.insert(text.size() - digits, u'.');
    if (m_minor < 0)
        text.prepend(u'-');
    return text;
}

QString Money::toDisplayString() const
{
    return toDisplayString(QLocale());
}

QString Money::toDisplayString(const QLocale &locale) const
{
    const int digits = minorDigits(m_currency);
    const quint64 magnitude = m_minor < 0 ? 0 - quint64(m_minor) : quint64(m_minor);
    const QString plain = QString::number(magnitude).rightJustified(digits + 1, u'0');
    const QString integerPart = plain.left(plain.size() - digits);

    // Grouped by hand: Qt 6.4 misapplies CLDR's minimum grouping digits ("1234 567" in Polish). Threes, and
    // none at all for a number the locale leaves ungrouped (Polish "1234", which the probe detects).
    const QString separator = locale.groupSeparator();
    const bool groups = locale.toString(10000).contains(separator);
    const bool groupsFourDigits = locale.toString(1000).contains(separator);
    const bool grouped = groups && (integerPart.size() > 4 || (integerPart.size() == 4 && groupsFourDigits));
    QString number;
    for (qsizetype i = 0; i < plain.size(); ++i) {
        if (i == integerPart.size())
            number += locale.decimalPoint();
        else if (grouped && i > 0 && i < integerPart.size() && (integerPart.size() - i) % 3 == 0)
            number += separator;
        number += locale.toString(plain[i].unicode() - u'0');
    }

    const QString symbol = m_currency == locale.currencySymbol(QLocale::CurrencyIsoCode)
                               ? locale.currencySymbol(QLocale::CurrencySymbol)
                               : m_currency;
    // The locale's pattern puts the symbol before or after the number; take it from a formatted 1.
    const QString pattern = locale.toCurrencyString(qlonglong(1), symbol);
    const QString one = locale.toString(1);
    const qsizetype at = pattern.indexOf(one);
    QString prefix = pattern.left(at);
    QString suffix = pattern.mid(at + one.size());
    // A letter code touching the digits gets a no-break space, as CLDR's currency spacing asks: "PLN 1,234.56".
    if (!prefix.isEmpty() && prefix.back().isLetter())
        prefix += QChar(0x00A0);
    if (!suffix.isEmpty() && suffix.front().isLetter())
        suffix.prepend(QChar(0x00A0));
    // A plain leading minus, not the accounting parentheses Qt uses for some locales: a refund is "-5,00 zł".
    return (m_minor < 0 ? locale.negativeSign() : QString()) + prefix + number + suffix;
}

Money Money::percentOf(qint64 basisPoints) const
{
    // 128-bit intermediate: amount times basis points cannot overflow before the division.
    const __int128 product = static_cast<__int128>(m_minor) * basisPoints;
    __int128 quotient = product / 10000;
    const __int128 remainder = product % 10000;
    if (2 * (remainder < 0 ? -remainder : remainder) >= 10000)
        quotient += product < 0 ? -1 : 1;
    // Only rates above 100% on amounts near the qint64 limit get here; saturate rather than wrap.
    const __int128 low = std::numeric_limits<qint64>::min();
    const __int128 high = std::numeric_limits<qint64>::max();
    return Money(static_cast<qint64>(quotient < low ? low : (quotient > high ? high : quotient)), m_currency);
}

} // namespace sd::domain
