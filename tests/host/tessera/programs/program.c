/* A stand-in protection-domain program for the tool's tests: a static x86_64 ELF with the
 * symbols `tessera build` patches (setvar targets and libmicrokit's variables). */
#include <stdint.h>

/* Initialised (non-zero), in .data. */
volatile uintptr_t shared_buffer = 1;
volatile uint64_t microkit_irqs = 1;
volatile uint64_t microkit_notifications = 1;
volatile uint64_t microkit_pps = 1;
char microkit_name[64] = "unpatched";
/* Uninitialised, in .bss, as Microkit programs declare setvar targets. */
volatile uintptr_t bss_variable;
volatile uint64_t microkit_ioports;
/* Too small for a setvar (Microkit writes a 64-bit word). */
volatile uint32_t small_variable = 1;
char greeting[16] = "unpatched"; /* a setvar string target */

void _start(void)
{
    for (;;)
        __asm__ volatile("pause");
}
