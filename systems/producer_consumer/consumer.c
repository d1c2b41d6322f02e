/* The consumer: on each notification takes every item in the ring, checks that they arrive in
 * order, tells the producer there is space, and once it has them all leaves its tally in the
 * ring's header for the producer. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"
#include "ring.h"

uintptr_t ring_buffer = 1; /* setvar_vaddr */
uint64_t ring_paddr = 1;   /* setvar region_paddr, written by the loader */

static uint64_t consumed;
static uint64_t sum;
static unsigned out_of_order;

void init(void)
{
    check("producer_consumer.consumer.setvar_vaddr", ring_buffer == 0x5000000);
}

void notified(microkit_channel ch)
{
    if (ch != PRODUCER_CHANNEL) {
        check("producer_consumer.consumer.notified_by_producer", 0);
        return;
    }
    struct ring *ring = (struct ring *)ring_buffer;
    while (!ring_is_empty(ring)) {
        const uint64_t value = ring_pop(ring);
        out_of_order += value != item_value(consumed);
        sum += value;
        consumed++;
    }
    if (consumed == ITEM_COUNT) {
        check("producer_consumer.consumer.same_region_paddr_as_producer",
              ring->producer_ring_paddr == ring_paddr);
        check("producer_consumer.consumer.items_in_order", out_of_order == 0);
        printf("consumer: %lu items, sum %lu\n", (unsigned long)consumed, (unsigned long)sum);
        /* The producer prints the summary: the consumer's checks count there. */
        ring_finish(ring, consumed, sum, check_counts.passed, check_counts.failed);
    }
    microkit_notify(PRODUCER_CHANNEL);
}
