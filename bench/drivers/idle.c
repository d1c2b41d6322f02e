/* The driver benchmarks' lowest-priority PD: keeps the CPU busy while the client waits for its
 * timeouts (so the system goes idle, and the run ends, only once the client sets the flag). */
#include <microkit.h>
#include <stdint.h>

/* Patched by the description: the page whose first word the client sets when done. */
__attribute__((section(".data"))) uintptr_t done_flag;

void init(void)
{
    while (__atomic_load_n((volatile uint32_t *)done_flag, __ATOMIC_ACQUIRE) == 0)
        ;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
