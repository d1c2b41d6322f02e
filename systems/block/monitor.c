/* Waits until both clients of systems/block.system have reported, then prints the summary.
 *
 * It runs at the lowest priority and spins until then, so the CPU is never idle while the disk
 * has work in flight: a system booted with the kernel's exit_on_idle (the tests) would otherwise
 * end the moment every protection domain waits for the device. */
#include <microkit.h>

#include "checks.h"
#include "protocol.h"

uintptr_t results = 1;

static int all_done(void)
{
    volatile struct block_results *r = (volatile struct block_results *)results;
    for (unsigned i = 0; i < BLOCK_CLIENTS; ++i)
        if (!r->client[i].done)
            return 0;
    return 1;
}

void init(void)
{
    while (!all_done())
        __asm__ volatile("pause");
    volatile struct block_results *r = (volatile struct block_results *)results;
    for (unsigned i = 0; i < BLOCK_CLIENTS; ++i)
        check_add(r->client[i].passed, r->client[i].failed);
    check_summary();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
