#pragma once

#include "util/result.h"

#include <QString>
#include <QtGlobal>

class QLocale;

namespace sd::domain {

// An amount of money: integer minor units (grosze, cents) and an ISO 4217 currency. Never floating point.
class Money
{
public:
    Money() = default;
    Money(qint64 minor, QString currency)
        : m_minor(minor)
        , m_currency(std::move(currency))
    {}

    // Exact parse of a decimal string ("123.45", "-0.5", "7", "1 234,56" with a comma or spaces as a person
    // types it). More fraction digits than the currency has is an error, never silently rounded.
    static Result<Money> parse(const QString &text, const QString &currency);
    // Like parse, but rounds extra fraction digits half away from zero ("0.005" PLN -> 0.01).
    static Result<Money> parseRounded(const QString &text, const QString &currency);

    // Known ISO 4217 code (PLN, EUR, CZK, HUF, ...)? Upper case three letters from the built-in table.
    static bool isKnownCurrency(const QString &currency);
    // Fraction digits of the currency: 2 for PLN, 0 for JPY/HUF-style cases where applicable.
    static int minorDigits(const QString &currency);

    qint64 minor() const { return m_minor; }
    const QString &currency() const { return m_currency; }
    bool isNull() const { return m_currency.isEmpty(); }
    bool isZero() const { return m_minor == 0; }

    // "123.45": always a dot, always the currency's digits, a leading '-' when negative.
    QString toDecimalString() const;
    // For people, in the locale's format: "1 234,56 zł" / "PLN 1,234.56".
    QString toDisplayString() const;
    // The same in a given locale; the locale's own currency gets its symbol, any other its ISO code.
    QString toDisplayString(const QLocale &locale) const;

    Money operator+(const Money &other) const { return Money(m_minor + other.m_minor, pickCurrency(other)); }
    Money operator-(const Money &other) const { return Money(m_minor - other.m_minor, pickCurrency(other)); }
    Money operator-() const { return Money(-m_minor, m_currency); }
    Money operator*(qint64 factor) const { return Money(m_minor * factor, m_currency); }
    Money &operator+=(const Money &other) { return *this = *this + other; }
    bool operator==(const Money &other) const = default;

    // The amount times basisPoints/10000, rounded half away from zero (VAT and discounts).
    Money percentOf(qint64 basisPoints) const;

private:
    QString pickCurrency(const Money &other) const { return m_currency.isEmpty() ? other.m_currency : m_currency; }

    qint64 m_minor = 0;
    QString m_currency;
};

} // namespace sd::domain
