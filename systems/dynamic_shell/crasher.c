/* The shell test's crasher: faults at its first store (a write to an unmapped page), with no
 * runtime to set up first, so each of its restarts costs the manager only its own work
 * (systems/dynamic/pulse.c says why that matters under load). */
#include <stdint.h>

void _start(void)
{
    /* Through a volatile address, so the compiler neither rejects nor removes the write. */
    volatile uintptr_t address = 0x10;
    for (;;)
        *(volatile int*)address = 1;
}
