// Result<T, E>: a value or an error, never both, never ignored (STYLE rule 5). The one definition
// the kernel, the user libraries, the benchmarks and the host tools share; each world names its
// own error type (the kernel's SyscallError, the library OS's Error, the Linux baseline's
// SystemError). Freestanding: no <optional>/<expected>/<variant>, only a tagged union, which stays
// trivially copyable (returned in registers) whenever T and E are.
#pragma once

#include <new>
#include <type_traits>

namespace tessera::base {

namespace detail {

// The tagged union, in two forms chosen by the halves' types: both trivially copyable, the
// implicit copies and destructor are trivial; otherwise the live half is copied, moved and
// destroyed by hand. Two classes rather than constrained special members (C++20 P0848), which
// clang 14, the fuzzers' compiler, does not implement.
template <class T, class E> struct TrivialStorage {
    constexpr TrivialStorage(T&& value) : ok_(true), value_(static_cast<T&&>(value)) {}
    constexpr TrivialStorage(E&& error) : ok_(false), error_(static_cast<E&&>(error)) {}

    bool ok_;
    union {
        T value_;
        E error_;
    };
};

template <class T, class E> struct ManagedStorage {
    ManagedStorage(T&& value) : ok_(true)
    {
        ::new (static_cast<void*>(&value_)) T(static_cast<T&&>(value));
    }
    ManagedStorage(E&& error) : ok_(false)
    {
        ::new (static_cast<void*>(&error_)) E(static_cast<E&&>(error));
    }
    ManagedStorage(const ManagedStorage& other) : ok_(other.ok_)
    {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(other.value_);
        else
            ::new (static_cast<void*>(&error_)) E(other.error_);
    }
    ManagedStorage(ManagedStorage&& other) : ok_(other.ok_)
    {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(static_cast<T&&>(other.value_));
        else
            ::new (static_cast<void*>(&error_)) E(static_cast<E&&>(other.error_));
    }
    ManagedStorage& operator=(const ManagedStorage& other)
    {
        if (this != &other) {
            destroy();
            ::new (static_cast<void*>(this)) ManagedStorage(other);
        }
        return *this;
    }
    ManagedStorage& operator=(ManagedStorage&& other)
    {
        if (this != &other) {
            destroy();
            ::new (static_cast<void*>(this)) ManagedStorage(static_cast<ManagedStorage&&>(other));
        }
        return *this;
    }
    ~ManagedStorage() { destroy(); }

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

template <class T, class E>
using Storage =
    std::conditional_t<std::is_trivially_copyable_v<T> && std::is_trivially_copyable_v<E>,
                       TrivialStorage<T, E>, ManagedStorage<T, E>>;

struct Nothing {};

} // namespace detail

template <class T, class E> class [[nodiscard]] Result : private detail::Storage<T, E> {
    using Storage = detail::Storage<T, E>;

public:
    constexpr Result(T value) : Storage(static_cast<T&&>(value)) {}
    constexpr Result(E error) : Storage(static_cast<E&&>(error)) {}

    constexpr explicit operator bool() const { return this->ok_; }
    constexpr bool is_ok() const { return this->ok_; }
    // Only after checking: reading the wrong half is a broken invariant.
    constexpr T& value() { return this->value_; }
    constexpr const T& value() const { return this->value_; }
    constexpr const E& error() const { return this->error_; }
};

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
