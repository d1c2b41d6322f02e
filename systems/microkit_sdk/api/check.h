/* One result line per check and the report to `tally`, shared by the api example's PDs. */
#pragma once

#include <microkit.h>

static unsigned int checks_passed, checks_failed;

static inline void check(const char *name, int ok)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(".");
    microkit_dbg_puts(name);
    microkit_dbg_puts(ok ? ": pass\n" : ": FAIL\n");
    if (ok)
        checks_passed++;
    else
        checks_failed++;
}

/* Calls tally's protected procedure: label = passed, one word = failed. */
static inline void report(microkit_channel tally)
{
    microkit_mr_set(0, checks_failed);
    (void)microkit_ppcall(tally, microkit_msginfo_new(checks_passed, 1));
}

static inline int same(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}
