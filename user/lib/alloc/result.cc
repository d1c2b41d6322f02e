// Turning a stub's error code into a Result with seL4's reply detail.
#include <tessera/libos/kernel_calls.h>
#include <tessera/libos/result.h>

namespace tessera::libos {

Result<void> check(seL4_Error code, const char* what)
{
    if (code == seL4_NoError)
        return {};
    // Failed lookups report the bits left to resolve in MR2 (after the source flag and the lookup
    // failure type); every other detailed error starts in MR0.
    const seL4_Word detail = code == seL4_FailedLookup ? seL4_GetMR(2) : seL4_GetMR(0);
    return make_error(code, what, detail);
}

} // namespace tessera::libos
