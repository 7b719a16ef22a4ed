#pragma once

#include "util/result.h"

#include <QString>

namespace sd::domain {

// A Polish tax identification number (NIP): ten digits, the last a checksum of the other nine.
class Nip
{
public:
    Nip() = default;

    // "1234563218", "123-456-32-18", "123-45-63-218", "PL1234563218", "PL 123 456 32 18".
    static Result<Nip> parse(const QString &text);

    bool isNull() const { return m_digits.isEmpty(); }
    // The ten digits, no prefix or separators: what is stored and sent.
    QString digits() const { return m_digits; }
    // "123-456-32-18"
    QString formatted() const;
    bool operator==(const Nip &other) const = default;

private:
    explicit Nip(QString digits)
        : m_digits(std::move(digits))
    {}

    QString m_digits;
};

} // namespace sd::domain
