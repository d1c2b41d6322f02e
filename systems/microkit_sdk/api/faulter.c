/* A child that faults twice: an invalid opcode (its parent resumes it after the instruction)
 * and a page fault (its parent restarts it at 0x200000); on its second run it notifies. */
#include <stdint.h>
#include <microkit.h>

#define PARENT 0

static unsigned int runs; /* memory survives a restart */
/* Not a constant the compiler can see, so it neither warns nor removes the store. */
volatile uintptr_t bad_address = 0x10;

void init(void)
{
    if (++runs == 2) {
        microkit_dbg_puts("faulter: restarted\n");
        microkit_notify(PARENT);
        return;
    }
    __asm__ volatile("ud2");
    microkit_dbg_puts("faulter: resumed after ud2\n");
    *(volatile uint64_t *)bad_address = 1;
    microkit_dbg_puts("faulter: FAIL: resumed after a page fault\n");
}

void notified(microkit_channel ch)
{
}
