// Errors as values for the Linux baseline: a failed system call names the call and its errno.
// Host-only: the error holds a std::string (common/base's Result handles non-trivial parts).
#pragma once

#include <string>

#include <tessera/base/result.h>

namespace tessera::bench::baseline {

struct SystemError {
    std::string operation; // what failed, e.g. "fork" or "read from child"
    int error_number;      // errno at the failure, 0 when the failure was not a system call

    std::string describe() const;
};

// A value or the SystemError that prevented it (common/base's Result).
template <class T> using Result = base::Result<T, SystemError>;

// The SystemError for a system call that just failed, with the current errno.
SystemError last_system_error(std::string operation);

} // namespace tessera::bench::baseline
