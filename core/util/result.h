#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace sd {

// What went wrong, for two readers: the user (translated, one clear sentence) and the log (technical detail).
struct Error
{
    enum class Code {
        Invalid,       // bad input: a value, a file, a field
        NotFound,      // the thing asked for does not exist
        Conflict,      // it exists already or changed under us
        Storage,       // the database refused or failed
        Locked,        // another process holds the database
        ReadOnly,      // the database cannot be written
        WrongDatabase, // not a SellerDesk database, or a newer schema
        Io,            // file or network
        Internal,
        Forbidden, // the current user's role does not allow it
    };

    Code code = Code::Internal;
    QString userMessage;
    QString detail;

    QString text() const { return detail.isEmpty() ? userMessage : userMessage + QStringLiteral(" (") + detail + u')'; }
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(Error error)
        : m_error(std::move(error))
    {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const & { return *m_value; }
    T &operator*() & { return *m_value; }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }

    const Error &error() const { return m_error; }
    T value_or(T fallback) const { return m_value ? *m_value : std::move(fallback); }

private:
    std::optional<T> m_value;
    Error m_error;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_failed(true)
        , m_error(std::move(error))
    {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    bool m_failed = false;
    Error m_error;
};

inline Error makeError(Error::Code code, QString userMessage, QString detail = {})
{
    return Error{code, std::move(userMessage), std::move(detail)};
}

} // namespace sd
