/* What the C provider of the host tests remembers and how it can be told to misbehave. */
#ifndef DEMO_PROVIDER_H
#define DEMO_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct demo_provider_state {
    bool misbehave; /* return results out of their types' ranges */
    unsigned last_channel;
    char last_name[17];
    size_t last_length;
    char stored_key[25];
    uint8_t stored[2000];
    size_t stored_length;
    unsigned nothing_calls;
};

extern struct demo_provider_state demo_provider;

#ifdef __cplusplus
}
#endif
#endif
