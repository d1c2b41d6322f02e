// The suites' reporting: one line per check, counted for the final `N passed, M failed` line that
// run_suite.py waits for.
#pragma once

#include <sel4/sel4.h>
#include <stdio.h>

namespace libos_suite {

inline int passed = 0;
inline int failed = 0;

inline void check(const char* name, bool ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    (ok ? passed : failed)++;
}

inline void check_error(const char* name, seL4_Error got, seL4_Error expected)
{
    if (got != expected)
        printf("%s: got error %d, expected %d\n", name, int(got), int(expected));
    check(name, got == expected);
}

// Where the kernel says a frame lies; 1 (never page-aligned) when it refuses to say, so a
// comparison with a predicted address fails.
inline seL4_Word kernel_paddr(seL4_CPtr frame)
{
    const seL4_X86_Page_GetAddress_t reply = seL4_X86_Page_GetAddress(frame);
    return reply.error == seL4_NoError ? reply.paddr : 1;
}

inline int summary()
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

} // namespace libos_suite
