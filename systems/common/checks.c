/* One result line per check, counted, for the example systems' in-system tests. */
#include "checks.h"

#include <stdio.h>

struct check_counts check_counts;

int check(const char *name, int ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    if (ok)
        check_counts.passed++;
    else
        check_counts.failed++;
    return ok;
}

void check_add(unsigned passed, unsigned failed)
{
    check_counts.passed += passed;
    check_counts.failed += failed;
}

void check_summary(void)
{
    printf("%u passed, %u failed\n", check_counts.passed, check_counts.failed);
}
