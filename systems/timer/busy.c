/* The timer system's lowest-priority PD: it keeps the CPU busy while the driver waits for its
 * interrupts, so that the system is idle only once the driver has written 1 to the shared page. */
#include <microkit.h>
#include <stdint.h>

uintptr_t status = 1; /* patched by the tool (setvar_vaddr) */

void init(void)
{
    while (*(volatile uint64_t *)status == 0)
        ;
}

void notified(microkit_channel ch) { (void)ch; }
