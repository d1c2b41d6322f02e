// Result<T, E>: a value or an error, never both, never ignored (STYLE rule 5). The one definition
// the kernel, the user libraries, the benchmarks and the host tools share; each world names its
// own error type (the kernel's SyscallError, the library OS's Error, the Linux baseline's
// SystemError). Freestanding: no <optional>/<expected>/<variant>, only a tagged union, which stays
// trivially copyable (returned in registers) whenever T and E are.
#pragma once

#include <new>
#include <type_traits>

namespace tessera::base {

template <class T, class E> class [[nodiscard]] Result {
    static constexpr bool Trivial = std::is_trivially_copyable_v<T> && std::is_trivially_copyable_v<E>;
    static constexpr bool TriviallyDestructible =
        std::is_trivially_destructible_v<T> && std::is_trivially_destructible_v<E>;

public:
    constexpr Result(T value) : ok_(true), value_(static_cast<T&&>(value)) {}
    constexpr Result(E error) : ok_(false), error_(static_cast<E&&>(error)) {}

    constexpr Result(const Result&) requires Trivial = default;
    constexpr Result(Result&&) requires Trivial = default;
    constexpr Result& operator=(const Result&) requires Trivial = default;
    constexpr Result& operator=(Result&&) requires Trivial = default;
    constexpr ~Result() requires TriviallyDestructible = default;

    Result(const Result& other) requires(!Trivial) : ok_(other.ok_)
    {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(other.value_);
        else
            ::new (static_cast<void*>(&error_)) E(other.error_);
    }
    Result(Result&& other) requires(!Trivial) : ok_(other.ok_)
    {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(static_cast<T&&>(other.value_));
        else
            ::new (static_cast<void*>(&error_)) E(static_cast<E&&>(other.error_));
    }
    Result& operator=(const Result& other) requires(!Trivial)
    {
        if (this != &other) {
            destroy();
            ::new (static_cast<void*>(this)) Result(other);
        }
        return *this;
    }
    Result& operator=(Result&& other) requires(!Trivial)
    {
        if (this != &other) {
            destroy();
            ::new (static_cast<void*>(this)) Result(static_cast<Result&&>(other));
        }
        return *this;
    }
    ~Result() requires(!TriviallyDestructible) { destroy(); }

    constexpr explicit operator bool() const { return ok_; }
    constexpr bool is_ok() const { return ok_; }
    // Only after checking: reading the wrong half is a broken invariant.
    constexpr T& value() { return value_; }
    constexpr const T& value() const { return value_; }
    constexpr const E& error() const { return error_; }

private:
    void destroy()
    {
        if (ok_)
            value_.~T();
        else
            error_.~E();
    }

    bool ok_;
    union {
        T value_;
        E error_;
    };
};

namespace detail {
struct Nothing {};
} // namespace detail

// Success carries nothing; the error needs no default (the kernel's SyscallError has none). The
// value half is an empty tag, hidden.
template <class E> class [[nodiscard]] Result<void, E> : public Result<detail::Nothing, E> {
    using Base = Result<detail::Nothing, E>;

public:
    constexpr Result() : Base(detail::Nothing{}) {}
    constexpr Result(E error) : Base(static_cast<E&&>(error)) {}

private:
    using Base::value;
};

} // namespace tessera::base
