/* microkit_dbg_putc of the debug configuration: the kernel's debug console (seL4_DebugPutChar). */
#include <microkit.h>

void microkit_dbg_putc(int c)
{
    seL4_DebugPutChar((char)c);
}
