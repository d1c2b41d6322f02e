/* The producer: fills the shared ring until it is full or every item is out, notifies the
 * consumer, and continues when the consumer notifies that it made space. When the consumer
 * reports that it has everything, the producer checks the consumer's tally against its own and
 * prints the summary. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"
#include "ring.h"

uintptr_t ring_buffer = 1; /* setvar_vaddr */
uint64_t ring_paddr = 1;   /* setvar region_paddr, written by the loader */

static uint64_t produced;
static unsigned times_full;
static unsigned batches;

static void produce(void)
{
    times_full += ring_fill((struct ring *)ring_buffer, &produced, ITEM_COUNT, item_value);
    batches++;
    microkit_notify(CONSUMER_CHANNEL);
}

static void finish(const struct ring *ring)
{
    check("producer_consumer.all_items_produced", produced == ITEM_COUNT);
    check("producer_consumer.consumer_count_matches", ring->consumed_count == ITEM_COUNT);
    check("producer_consumer.consumer_sum_matches", ring->consumed_sum == items_sum(ITEM_COUNT));
    check("producer_consumer.ring_drained", ring_is_empty(ring));
    /* 100 items through 16 slots: the producer had to wait for space several times. */
    check("producer_consumer.back_pressure", times_full >= ITEM_COUNT / RING_SLOTS - 1);
    printf("producer: %u batches, ring full %u times\n", batches, times_full);
    check_add(ring->consumer_passed, ring->consumer_failed);
    check_summary();
}

void init(void)
{
    check("producer_consumer.producer.setvar_vaddr", ring_buffer == 0x4000000);
    printf("producer: the ring is at physical address 0x%lx\n", (unsigned long)ring_paddr);
    /* RAM below the launcher's 512 MiB, page aligned, and not the value in the program file. */
    check("producer_consumer.producer.setvar_region_paddr",
          ring_paddr != 1 && ring_paddr != 0 && ring_paddr % 0x1000 == 0 && ring_paddr < (512ul << 20));
    ((struct ring *)ring_buffer)->producer_ring_paddr = ring_paddr;
    produce();
}

void notified(microkit_channel ch)
{
    if (!check("producer_consumer.producer.notified_by_consumer", ch == CONSUMER_CHANNEL))
        return;
    const struct ring *ring = (const struct ring *)ring_buffer;
    if (ring_is_done(ring))
        finish(ring);
    else if (produced < ITEM_COUNT)
        produce();
}
