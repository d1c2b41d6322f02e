/* Keeps the CPU busy at the lowest priority until the devices PD has had its interrupts: with
 * every PD waiting the kernel would end the run (exit_on_idle) before a timer fires. */
#include <stdint.h>
#include <microkit.h>

uintptr_t status; /* setvar_vaddr: the page the devices PD writes 1 into when it is done */

void init(void)
{
    while (*(volatile const uint64_t *)status == 0)
        seL4_Yield();
}

void notified(microkit_channel ch)
{
}
