/* Adds up the reports of the api example's PDs and prints the summary once all are in. */
#include <microkit.h>

#include "check.h"

#define REPORTERS 4 /* parent, devices, data, stripped */

static unsigned int reports, passed, failed;

void init(void)
{
    check("passive", microkit_passive == seL4_True);
    check("name", same(microkit_name, "tally"));
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    passed += (unsigned int)microkit_msginfo_get_label(msginfo);
    failed += (unsigned int)microkit_mr_get(0);
    if (++reports == REPORTERS) {
        passed += checks_passed;
        failed += checks_failed;
        microkit_dbg_put32(passed);
        microkit_dbg_puts(" passed, ");
        microkit_dbg_put32(failed);
        microkit_dbg_puts(" failed\n");
    }
    return microkit_msginfo_new(0, 0);
}

void notified(microkit_channel ch)
{
}
