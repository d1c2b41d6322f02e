// Errors as values for the library OS: a seL4 error code, the call that produced it and, for
// failed lookups and range errors, the detail seL4 puts in the reply's message registers.
#pragma once

#include <tessera/abi/abi.h>

#include <new>
#include <type_traits>

namespace tessera::libos {

struct Error {
    seL4_Error code = seL4_NoError;
    // Which step failed, for the log line ("untyped: retype", "vspace: map page", ...).
    const char* what = "";
    // seL4's reply detail: RangeError min/max, FailedLookup bits left, ... (0 when none).
    seL4_Word detail = 0;
};

template <class T> class [[nodiscard]] Result {
    static_assert(std::is_trivially_destructible_v<T>, "library OS results hold plain values");

public:
    Result(T value) : value_(value), ok_(true) {}
    Result(Error error) : error_(error), ok_(false) {}
    explicit operator bool() const { return ok_; }
    T& value() { return value_; }
    const T& value() const { return value_; }
    const Error& error() const { return error_; }
    seL4_Error code() const { return ok_ ? seL4_NoError : error_.code; }

private:
    union {
        T value_;
        Error error_;
    };
    bool ok_;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(error), ok_(false) {}
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }
    seL4_Error code() const { return ok_ ? seL4_NoError : error_.code; }

private:
    Error error_{};
    bool ok_ = true;
};

inline Error make_error(seL4_Error code, const char* what, seL4_Word detail = 0)
{
    return Error{code, what, detail};
}

// Turns a stub's seL4_Error into a Result, keeping MR0 of the reply as detail.
Result<void> check(seL4_Error code, const char* what);

} // namespace tessera::libos
