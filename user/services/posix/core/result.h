// Errors as values for the server: a Result<T> holds a T or a Linux errno (linux/errno.h), so a
// handler's failure is the number the program will see in rax.
#pragma once

#include <tessera/base/result.h>

#include "linux/errno.h"

namespace tessera::posix {

using linux::Errno;

// common/base's Result with Linux's errno as the error half.
template <class T> using Result = base::Result<T, Errno>;

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
