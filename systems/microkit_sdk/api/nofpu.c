/* A child without the FPU (fpu="false"): built with -mgeneral-regs-only, so only the one x87
 * instruction below touches the FPU, and it faults to the parent. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("nofpu: touching the FPU\n");
    __asm__ volatile("fldz");
    microkit_dbg_puts("nofpu: FAIL: the FPU worked\n");
}

void notified(microkit_channel ch)
{
}
