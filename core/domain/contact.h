#pragma once

#include "util/result.h"

#include <QString>

namespace sd::domain {

// A telephone number normalised to E.164 ("+48600700800"). Numbers without a country code are Polish.
class Phone
{
public:
    Phone() = default;

    // "+48 600 700 800", "600-700-800", "0048600700800", "(22) 123 45 67", "48600700800".
    static Result<Phone> parse(const QString &text);

    bool isNull() const { return m_e164.isEmpty(); }
    QString e164() const { return m_e164; }
    bool operator==(const Phone &other) const = default;

private:
    explicit Phone(QString e164)
        : m_e164(std::move(e164))
    {}

    QString m_e164;
};

// An e-mail address, checked for the shape mail can be delivered to, not for existence.
class Email
{
public:
    Email() = default;

    // Trimmed; the domain is lower-cased, the local part kept as written (it may be case-sensitive).
    static Result<Email> parse(const QString &text);

    bool isNull() const { return m_address.isEmpty(); }
    QString address() const { return m_address; }
    bool operator==(const Email &other) const = default;

private:
    explicit Email(QString address)
        : m_address(std::move(address))
    {}

    QString m_address;
};

} // namespace sd::domain
