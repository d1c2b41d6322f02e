/* The timer system's lowest-priority PD: keeps the CPU busy (so the system goes idle, and the
 * test ends, only once every client is done), then prints each client's checks from the shared
 * results page and the summary line. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "results.h"

/* Patched by the tool (setvar_vaddr): the results page. */
__attribute__((section(".data"))) uintptr_t results;

void init(void)
{
    struct timer_results *all = (struct timer_results *)results;
    for (unsigned i = 0; i < TIMER_CLIENTS; ++i)
        while (__atomic_load_n(&all->clients[i].done, __ATOMIC_ACQUIRE) == 0)
            ;
    for (unsigned i = 0; i < TIMER_CLIENTS; ++i) {
        const struct timer_client_result *client = &all->clients[i];
        printf("timer: %s: %u checks, %u timeouts fired, at most %lu us late\n",
               timer_client_names[i], client->passed + client->failed, client->fired,
               (unsigned long)(client->max_late_ns / 1000));
        if (client->failed != 0)
            printf("timer: %s: %u failed, the first: %s\n", timer_client_names[i], client->failed,
                   client->first_failure);
        char name[32];
        snprintf(name, sizeof name, "timer.%s", timer_client_names[i]);
        check(name, client->failed == 0 && client->passed != 0);
        check_add(client->passed, client->failed);
    }
    check_summary();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
