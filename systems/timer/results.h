/* The page the timer system's clients share with its monitor: each client's checks, filled in
 * while it runs and published with `done` last. */
#ifndef SYSTEMS_TIMER_RESULTS_H
#define SYSTEMS_TIMER_RESULTS_H

#include <stdint.h>

#define TIMER_CLIENTS 4

struct timer_client_result {
    uint32_t done; /* set last, with release order: the rest is then complete */
    uint32_t passed;
    uint32_t failed;
    uint32_t fired;            /* timeouts that fired */
    uint64_t max_late_ns;      /* the latest notification after its deadline */
    char first_failure[96];    /* the first failed check's name, for the monitor's line */
};

struct timer_results {
    struct timer_client_result clients[TIMER_CLIENTS];
};

/* The clients' names, in the order of `clients`. */
static const char *const timer_client_names[TIMER_CLIENTS] = {"alpha", "beta", "gamma", "delta"};

#endif
