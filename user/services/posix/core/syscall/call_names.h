// Linux x86_64 system-call names, for log lines ("posix: ENOSYS for 'io_uring_setup' (425)").
#pragma once

#include <stdint.h>

namespace tessera::posix {

// The call's name, or nullptr for a number Linux does not define.
const char* linux_call_name(uint64_t number);

} // namespace tessera::posix
