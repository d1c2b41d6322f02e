// Result<T, E>: a value or an error, never both, never ignored (STYLE rule 5). Freestanding: no
// <optional>/<expected>, so it is a small tagged union of trivially copyable parts.
#pragma once

#include <type_traits>

#include "base/syscall_error.h"

namespace tessera::core {

template <class T, class E = SyscallError> class [[nodiscard]] Result {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_copyable_v<E>);

public:
    constexpr Result(T value) : ok_(true), value_(value) {}
    constexpr Result(E error) : ok_(false), error_(error) {}

    constexpr explicit operator bool() const { return ok_; }
    constexpr bool is_ok() const { return ok_; }
    // Only after checking: reading the wrong half is a broken invariant.
    constexpr T& value() { return value_; }
    constexpr const T& value() const { return value_; }
    constexpr const E& error() const { return error_; }

private:
    bool ok_;
    union {
        T value_;
        E error_;
    };
};

template <class E> class [[nodiscard]] Result<void, E> {
public:
    constexpr Result() : ok_(true), error_() {}
    constexpr Result(E error) : ok_(false), error_(error) {}

    constexpr explicit operator bool() const { return ok_; }
    constexpr bool is_ok() const { return ok_; }
    constexpr const E& error() const { return error_; }

private:
    bool ok_;
    E error_;
};

// Result<void> needs a default error; SyscallError has none, so give the void form its own.
template <> class [[nodiscard]] Result<void, SyscallError> {
public:
    constexpr Result() : ok_(true), error_(SyscallError::illegal_operation()) {}
    constexpr Result(SyscallError error) : ok_(false), error_(error) {}

    constexpr explicit operator bool() const { return ok_; }
    constexpr bool is_ok() const { return ok_; }
    constexpr const SyscallError& error() const { return error_; }

private:
    bool ok_;
    SyscallError error_;
};

} // namespace tessera::core
