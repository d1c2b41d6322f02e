/* A single-producer, single-consumer ring of 64-bit words in a shared memory region, as the
 * producer-consumer and pipeline systems use it: the producer writes slots and advances head,
 * the consumer reads and advances tail; each side signals the other with a notification. The
 * header also carries the consumer's final tally, and its check counts, back to the producer. */
#ifndef SYSTEMS_RING_H
#define SYSTEMS_RING_H

#include <stdint.h>

#define RING_SLOTS 16u

struct ring {
    uint32_t head;   /* next slot the producer writes (free-running) */
    uint32_t tail;   /* next slot the consumer reads (free-running) */
    uint32_t done;   /* set by the consumer once it has every item */
    uint32_t reserved;
    uint64_t consumed_count; /* the consumer's tally, valid once done */
    uint64_t consumed_sum;
    uint32_t consumer_passed; /* the consumer's checks, counted in the producer's summary */
    uint32_t consumer_failed;
    uint64_t producer_ring_paddr; /* the producer's setvar region_paddr, for the consumer to compare */
    uint64_t slots[RING_SLOTS];
};

/* Acquire and release pair the producer's slot writes with the consumer's reads. */
static inline uint32_t ring_used(const struct ring *ring)
{
    return __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE) -
           __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
}

static inline int ring_is_full(const struct ring *ring)
{
    return ring_used(ring) == RING_SLOTS;
}

static inline int ring_is_empty(const struct ring *ring)
{
    return ring_used(ring) == 0;
}

/* Producer only; the caller has checked that the ring is not full. */
static inline void ring_push(struct ring *ring, uint64_t value)
{
    const uint32_t head = ring->head;
    ring->slots[head % RING_SLOTS] = value;
    __atomic_store_n(&ring->head, head + 1, __ATOMIC_RELEASE);
}

/* Producer: pushes value(*next), value(*next + 1), ... until the ring is full or *next reaches
 * count; returns 1 when it stopped because the ring was full (the producer must wait). */
static inline int ring_fill(struct ring *ring, uint64_t *next, uint64_t count,
                            uint64_t (*value)(uint64_t index))
{
    while (*next < count && !ring_is_full(ring)) {
        ring_push(ring, value(*next));
        ++*next;
    }
    return ring_is_full(ring);
}

/* Consumer only; the caller has checked that the ring is not empty. */
static inline uint64_t ring_pop(struct ring *ring)
{
    const uint32_t tail = ring->tail;
    const uint64_t value = ring->slots[tail % RING_SLOTS];
    __atomic_store_n(&ring->tail, tail + 1, __ATOMIC_RELEASE);
    return value;
}

/* Consumer: publish the tally, then the flag that makes it valid. */
static inline void ring_finish(struct ring *ring, uint64_t count, uint64_t sum, unsigned passed,
                               unsigned failed)
{
    ring->consumed_count = count;
    ring->consumed_sum = sum;
    ring->consumer_passed = passed;
    ring->consumer_failed = failed;
    __atomic_store_n(&ring->done, 1, __ATOMIC_RELEASE);
}

static inline int ring_is_done(const struct ring *ring)
{
    return __atomic_load_n(&ring->done, __ATOMIC_ACQUIRE) != 0;
}

#endif
