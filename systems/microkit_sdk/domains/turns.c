/* One program for both protection domains of domains.system. Each spins without ever blocking
 * and counts a turn whenever it finds that the other one wrote the shared page since it last
 * looked: that happens only if the kernel's domain schedule took the CPU from it and gave it
 * back. After three turns it returns from init and waits, and the system goes idle. */
#include <stdint.h>
#include <microkit.h>

#define TURNS 3

/* The shared page (setvar_vaddr). */
uintptr_t turns;

static void say_turn(unsigned turn)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": turn ");
    microkit_dbg_putc('0' + turn);
    microkit_dbg_puts("\n");
}

void init(void)
{
    volatile uint64_t *last = (volatile uint64_t *)turns;
    const uint64_t me = (uint64_t)(unsigned char)microkit_name[0];
    unsigned turn = 0;
    while (turn < TURNS) {
        if (*last != me) {
            *last = me;
            turn++;
            say_turn(turn);
        }
    }
}

void notified(microkit_channel ch)
{
}
