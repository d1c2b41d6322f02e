// Errors as values for the library OS: a seL4 error code, the call that produced it and, for
// failed lookups and range errors, the detail seL4 puts in the reply's message registers.
#pragma once

#include <tessera/abi/abi.h>

#include <tessera/base/result.h>

namespace tessera::libos {

struct Error {
    seL4_Error code = seL4_NoError;
    // Which step failed, for the log line ("untyped: retype", "vspace: map page", ...).
    const char* what = "";
    // seL4's reply detail: RangeError min/max, FailedLookup bits left, ... (0 when none).
    seL4_Word detail = 0;
};

// common/base's Result with the library OS's Error, and seL4's code of the outcome for the C API.
template <class T> class [[nodiscard]] Result : public base::Result<T, Error> {
public:
    using base::Result<T, Error>::Result;
    seL4_Error code() const { return *this ? seL4_NoError : this->error().code; }
};

inline Error make_error(seL4_Error code, const char* what, seL4_Word detail = 0)
{
    return Error{code, what, detail};
}

// Turns a stub's seL4_Error into a Result, keeping MR0 of the reply as detail.
Result<void> check(seL4_Error code, const char* what);

} // namespace tessera::libos
