#pragma once

#include "util/result.h"

#include <QString>

namespace sd::domain {

// A Polish VAT rate: a percentage (23, 8, 5, 0) or one of the special non-percentage kinds
// zw (exempt), np (not subject, e.g. export of services), oo (reverse charge).
class VatRate
{
public:
    enum class Kind { Percent, Exempt, NotSubject, ReverseCharge };

    VatRate() = default;
    static VatRate percent(int value) { return VatRate(Kind::Percent, value); }
    static VatRate exempt() { return VatRate(Kind::Exempt, 0); }
    static VatRate notSubject() { return VatRate(Kind::NotSubject, 0); }
    static VatRate reverseCharge() { return VatRate(Kind::ReverseCharge, 0); }

    // "23", "23%", "8", "5", "0", "zw", "np", "oo" (case-insensitive); other percentages are refused.
    static Result<VatRate> parse(const QString &text);

    Kind kind() const { return m_kind; }
    int percentValue() const { return m_percent; }
    bool isValid() const { return m_valid; }
    // "23", "8", "5", "0", "zw", "np", "oo": the code stored and exchanged (KSeF P_12 uses the same).
    QString code() const;
    bool operator==(const VatRate &other) const = default;

private:
    VatRate(Kind kind, int percent)
        : m_kind(kind)
        , m_percent(percent)
        , m_valid(true)
    {}

    Kind m_kind = Kind::Percent;
    int m_percent = 0;
    bool m_valid = false;
};

} // namespace sd::domain
