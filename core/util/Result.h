#pragma once
// Result<T> and Error: how every fallible operation in Bastionless reports failure. An Error says what
// failed (message), what to do about it (hint) and, for AWS, the service's code and request id. The
// ErrorKind decides the CLI exit code and whether the GUI shows a banner or a dialog.

#include <QString>
#include <QStringList>

#include <functional>
#include <utility>
#include <variant>

namespace bl {

enum class ErrorKind {
    Internal, // a bug: should not happen
    Usage, // the user asked for something malformed
    Config, // ~/.aws/config, credentials file or settings are broken
    Credentials, // no credentials, expired, wrong secret, login needed
    NotFound, // instance, profile, endpoint does not exist
    Service, // AWS answered with an error
    Network, // connection, TLS, DNS, proxy
    Timeout,
    Parse, // a response we could not understand
    Io, // local files, sockets, processes
    Cancelled,
};

QString errorKindName(ErrorKind kind);

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString message; // one line: what failed and why
    QString hint; // what a person can do about it (may be empty)
    QString awsCode; // AWS error code, e.g. "UnauthorizedOperation"
    QString requestId; // AWS request id, for support tickets
    int httpStatus = 0;

    static Error make(ErrorKind kind, QString message, QString hint = {})
    {
        Error e;
        e.kind = kind;
        e.message = std::move(message);
        e.hint = std::move(hint);
        return e;
    }
    // "message [code, request id ...]\nHint: hint"
    QString toString() const;
    // message plus code on one line, no hint
    QString summary() const;
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_v(std::in_place_index<0>, std::move(value))
    { }
    Result(Error error)
        : m_v(std::in_place_index<1>, std::move(error))
    { }

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &std::get<0>(m_v); }
    const T* operator->() const { return &std::get<0>(m_v); }
    T& operator*() & { return std::get<0>(m_v); }
    const T& operator*() const& { return std::get<0>(m_v); }

    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_ok(false)
    { }
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

// Asynchronous results are delivered through a callback, always from the event loop (never synchronously
// from inside the call that started the operation), always exactly once unless the context object died.
template<typename T>
using Callback = std::function<void(Result<T>)>;

} // namespace bl
