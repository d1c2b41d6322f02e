/* A child protection domain that reads an address it was not given: its parent handles the
 * fault (Microkit's rule), the kernel reports nothing. */
#include <microkit.h>
#include <stdint.h>

#include "child.h"

void init(void)
{
    (void)*(const volatile uint64_t *)CHILD_BAD_ADDRESS;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
