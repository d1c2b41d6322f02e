// Errors as values for the server: a Result<T> holds a T or a Linux errno (linux/errno.h), so a
// handler's failure is the number the program will see in rax.
#pragma once

#include <new>
#include <utility>

#include "linux/errno.h"

namespace tessera::posix {

using linux::Errno;

template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }
    Result(Errno error) : ok_(false), error_(error) {}
    Result(const Result& other) : ok_(other.ok_), error_(other.error_)
    {
        if (ok_)
            new (&value_) T(other.value_);
    }
    Result(Result&& other) : ok_(other.ok_), error_(other.error_)
    {
        if (ok_)
            new (&value_) T(std::move(other.value_));
    }
    Result& operator=(const Result&) = delete;
    ~Result()
    {
        if (ok_)
            value_.~T();
    }

    explicit operator bool() const { return ok_; }
    bool is_ok() const { return ok_; }
    T& value() { return value_; }
    const T& value() const { return value_; }
    T take() { return std::move(value_); }
    Errno error() const { return error_; }

private:
    bool ok_;
    Errno error_ = Errno::Inval;
    union {
        T value_;
    };
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Errno error) : ok_(false), error_(error) {}
    explicit operator bool() const { return ok_; }
    bool is_ok() const { return ok_; }
    Errno error() const { return error_; }

private:
    bool ok_ = true;
    Errno error_ = Errno::Inval;
};

// Propagates an error: `TRY_RESULT(x, expression);` declares x as the value or returns the error.
#define POSIX_TRY(name, expression)                                                               \
    auto name##_result = (expression);                                                            \
    if (!name##_result)                                                                           \
        return name##_result.error();                                                             \
    auto& name = name##_result.value()

#define POSIX_CHECK(expression)                                                                   \
    do {                                                                                          \
        auto check_result_ = (expression);                                                        \
        if (!check_result_)                                                                       \
            return check_result_.error();                                                         \
    } while (false)

} // namespace tessera::posix
