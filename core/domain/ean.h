#pragma once

#include "util/result.h"

#include <QString>
#include <QStringView>

namespace sd::domain {

// A GTIN as printed under a barcode: GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14,
// the last digit being the GS1 mod-10 check digit.
class Ean
{
public:
    Ean() = default;

    // Digits, optionally grouped by spaces as printed ("5 901234 123457"); a wrong check digit is an error.
    static Result<Ean> parse(const QString &text);
    // The GS1 check digit for a body of digits (the code without its last digit); a null QChar if the
    // body is empty or holds anything but ASCII digits.
    static QChar checkDigit(QStringView body);

    bool isNull() const { return m_code.isEmpty(); }
    // The digits only, check digit included.
    QString code() const { return m_code; }
    bool operator==(const Ean &other) const = default;

private:
    explicit Ean(QString code)
        : m_code(std::move(code))
    {}

    QString m_code;
};

} // namespace sd::domain
