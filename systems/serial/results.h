/* The page the serial system's clients share with its monitor: each client's checks, published
 * with `done` last. */
#ifndef SYSTEMS_SERIAL_RESULTS_H
#define SYSTEMS_SERIAL_RESULTS_H

#include <stdint.h>

#define SERIAL_CLIENTS 4 /* alpha, beta, gamma, flood; the monitor reports them */

struct serial_client_result {
    uint32_t done; /* set last, with release order */
    uint32_t passed;
    uint32_t failed;
    uint32_t lines;        /* numbered lines printed */
    uint32_t input_lines;  /* input lines received */
    char first_failure[92];
};

struct serial_results {
    struct serial_client_result clients[SERIAL_CLIENTS];
};

static const char *const serial_client_names[SERIAL_CLIENTS] = {"alpha", "beta", "gamma", "flood"};

#endif
