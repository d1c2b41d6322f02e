/* Linked like the others, then stripped: the tool finds `window` and libmicrokit's variables
 * through path_for_symbols, the unstripped copy. */
#include <stdint.h>
#include <microkit.h>

#include "check.h"

#define TALLY 0

uintptr_t window;

void init(void)
{
    check("path_for_symbols.setvar", window == 0x9000000);
    check("path_for_symbols.name", same(microkit_name, "stripped"));
    *(volatile uint64_t *)window = 0x1234;
    check("path_for_symbols.mapped", *(volatile uint64_t *)window == 0x1234);
    report(TALLY);
}

void notified(microkit_channel ch)
{
}
