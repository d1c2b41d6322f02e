/* systems/block: what the clients and the monitor share. Each client writes its check counts
 * into its slot of the results page and notifies the monitor, which prints the summary once all
 * have reported. */
#ifndef SYSTEMS_BLOCK_PROTOCOL_H
#define SYSTEMS_BLOCK_PROTOCOL_H

#include <stdint.h>

#define BLOCK_CLIENTS 2u

struct block_results {
    struct {
        uint32_t done;
        uint32_t passed;
        uint32_t failed;
        uint32_t reserved;
    } client[BLOCK_CLIENTS];
};

/* A client's slot: client "b" the second, any other label the first. */
static inline void block_results_record(uintptr_t page, const char *label, uint32_t passed, uint32_t failed)
{
    volatile struct block_results *r = (volatile struct block_results *)page;
    const unsigned slot = label[0] == 'b' ? 1 : 0;
    r->client[slot].passed = passed;
    r->client[slot].failed = failed;
    r->client[slot].done = 1;
}

#endif
