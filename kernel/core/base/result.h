// The kernel's Result: common/base's Result<T, E> (tessera/base/result.h, STYLE rule 5) with the
// kernel's error, SyscallError, as the default. Everything the kernel returns through it is
// trivially copyable, so it stays a small tagged union passed in registers.
#pragma once

#include <tessera/base/result.h>

#include "base/syscall_error.h"

namespace tessera::core {

template <class T, class E = SyscallError> using Result = base::Result<T, E>;

} // namespace tessera::core
