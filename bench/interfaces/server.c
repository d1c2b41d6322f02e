/* The typed-call benchmark's server: adds two words, once as a provider of interface "adder"
 * (the generated dispatcher) and once by hand on the raw channel, the way a Microkit program
 * without interfaces would. */
#include <microkit.h>

#include "adder.h"

#define RAW_CHANNEL 1 /* typed_call.system */

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

int adder_serve_add(microkit_channel ch, uint64_t a, uint64_t b, uint64_t *result)
{
    (void)ch;
    *result = a + b;
    return 0;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch == RAW_CHANNEL) {
        (void)msginfo;
        microkit_mr_set(0, microkit_mr_get(0) + microkit_mr_get(1));
        return microkit_msginfo_new(0, 1);
    }
    return adder_server_dispatch(ch, msginfo);
}
