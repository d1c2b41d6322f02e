/* The serial protocol: a connection is two byte rings in shared memory, transmit (client to
 * device) and receive (device to client), each in its own region with one producer and one
 * consumer, plus one channel whose notification wakes the peer. The UART driver, the serial
 * virtualiser, its clients and the tests all use this header; docs/drivers.md ("Serial") is the
 * guide. C11 and C++20; the functions are inline and touch nothing but the ring they are given.
 *
 * A ring region: a 128-byte control block (the layout of tessera::queue::Control: the producer's
 * `tail` and the consumer's "signal me" flag on one 64-byte line, the consumer's `head` and the
 * producer's flag on the next), then the data bytes. The data capacity is the largest power of
 * two that fits in the rest of the region (a 4 KiB region holds 2 KiB, 8 KiB hold 4 KiB), so
 * both sides derive it from the region size in their own configuration, never from shared memory.
 * Indices run freely and wrap at 2^32; byte i lives at data[i & (capacity - 1)]. All-zero memory
 * is an empty ring nobody waits on.
 *
 * Trust: each side keeps its own index privately and only publishes it; the peer's index is read
 * once per call and checked. A peer that writes garbage into the indices makes the next call
 * return TESSERA_SERIAL_CORRUPT; tessera_serial_resynchronise() then adopts the peer's index and
 * carries on, so a hostile peer can only lose its own bytes. */
#ifndef TESSERA_QUEUE_SERIAL_H
#define TESSERA_QUEUE_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define TESSERA_SERIAL_ASSERT(cond, msg) static_assert(cond, msg)
extern "C" {
#else
#define TESSERA_SERIAL_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define TESSERA_SERIAL_CONTROL_BYTES 128u
/* The smallest data capacity a region must leave; smaller regions are refused. */
#define TESSERA_SERIAL_MIN_CAPACITY 64u
#define TESSERA_SERIAL_MAX_CAPACITY 0x80000000u
/* Regions must start on a 64-byte boundary (each index on a cache line of its own). */
#define TESSERA_SERIAL_REGION_ALIGN 64u

/* Results below zero; a byte count otherwise. */
enum tessera_serial_status {
    TESSERA_SERIAL_OK = 0,
    TESSERA_SERIAL_BAD_REGION = -1, /* too small, misaligned or NULL */
    TESSERA_SERIAL_CORRUPT = -2,    /* the peer's index is more than a ring away from ours */
};

/* The shared control block. Only the producer writes `tail`, only the consumer `head`. */
struct tessera_serial_control {
    uint32_t tail;                  /* next byte the producer writes */
    uint32_t consumer_wants_signal; /* set by a consumer about to sleep; taken by the producer */
    uint8_t reserved_producer[56];
    uint32_t head;                  /* next byte the consumer reads */
    uint32_t producer_wants_signal; /* set by a producer waiting for room; taken by the consumer */
    uint8_t reserved_consumer[56];
};
TESSERA_SERIAL_ASSERT(sizeof(struct tessera_serial_control) == TESSERA_SERIAL_CONTROL_BYTES,
                      "the control block is two cache lines");
TESSERA_SERIAL_ASSERT(offsetof(struct tessera_serial_control, head) == 64,
                      "head sits on the second cache line, as in tessera::queue::Control");

/* One side's private view of a ring: where it is mapped and this side's own index. */
struct tessera_serial_ring {
    struct tessera_serial_control *control;
    uint8_t *data;
    uint32_t capacity; /* a power of two */
    uint32_t index;    /* the producer's tail or the consumer's head, as this side knows it */
};

/* The data capacity a region of `region_bytes` gives, or 0 if it is too small. */
static inline uint32_t tessera_serial_capacity(size_t region_bytes)
{
    if (region_bytes < TESSERA_SERIAL_CONTROL_BYTES + TESSERA_SERIAL_MIN_CAPACITY)
        return 0;
    const size_t room = region_bytes - TESSERA_SERIAL_CONTROL_BYTES;
    uint32_t capacity = TESSERA_SERIAL_MIN_CAPACITY;
    while (capacity < TESSERA_SERIAL_MAX_CAPACITY && (size_t)capacity * 2 <= room)
        capacity *= 2;
    return capacity;
}

static inline uint32_t tessera_serial__load(const uint32_t *word)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

static inline void tessera_serial__store(uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

static inline int tessera_serial__attach(struct tessera_serial_ring *ring, void *region,
                                         size_t region_bytes)
{
    const uint32_t capacity = tessera_serial_capacity(region_bytes);
    if (region == NULL || capacity == 0 ||
        ((uintptr_t)region & (TESSERA_SERIAL_REGION_ALIGN - 1)) != 0)
        return TESSERA_SERIAL_BAD_REGION;
    ring->control = (struct tessera_serial_control *)region;
    ring->data = (uint8_t *)region + TESSERA_SERIAL_CONTROL_BYTES;
    ring->capacity = capacity;
    return TESSERA_SERIAL_OK;
}

/* The producer's view of a mapped region. It continues from the tail found there (zero in a fresh
 * region), so a restarted producer picks up where its predecessor stopped. */
static inline int tessera_serial_attach_producer(struct tessera_serial_ring *ring, void *region,
                                                 size_t region_bytes)
{
    const int status = tessera_serial__attach(ring, region, region_bytes);
    if (status == TESSERA_SERIAL_OK)
        ring->index = tessera_serial__load(&ring->control->tail);
    return status;
}

/* The consumer's view; continues from the head found in the region. */
static inline int tessera_serial_attach_consumer(struct tessera_serial_ring *ring, void *region,
                                                 size_t region_bytes)
{
    const int status = tessera_serial__attach(ring, region, region_bytes);
    if (status == TESSERA_SERIAL_OK)
        ring->index = tessera_serial__load(&ring->control->head);
    return status;
}

/* Empties the ring and clears both flags. Only for the side that sets the connection up, before
 * the peer starts (a fresh region is already in this state). */
static inline void tessera_serial_reset(struct tessera_serial_ring *ring)
{
    ring->control->consumer_wants_signal = 0;
    ring->control->producer_wants_signal = 0;
    tessera_serial__store(&ring->control->head, 0);
    tessera_serial__store(&ring->control->tail, 0);
    ring->index = 0;
}

/* ---- Producer ---- */

/* Bytes that can be written now, or TESSERA_SERIAL_CORRUPT. */
static inline long tessera_serial_free_space(const struct tessera_serial_ring *ring)
{
    /* Acquire: the consumer has finished reading every byte before head. */
    const uint32_t used = ring->index - tessera_serial__load(&ring->control->head);
    if (used > ring->capacity)
        return TESSERA_SERIAL_CORRUPT;
    return (long)(ring->capacity - used);
}

/* Writes up to `length` bytes (as many as fit) and publishes them; returns the count written or
 * TESSERA_SERIAL_CORRUPT (nothing written). Call tessera_serial_producer_signal_needed() after one
 * write or a batch. */
static inline long tessera_serial_write(struct tessera_serial_ring *ring, const void *bytes,
                                        size_t length)
{
    const long space = tessera_serial_free_space(ring);
    if (space < 0)
        return space;
    const uint32_t count = (size_t)space < length ? (uint32_t)space : (uint32_t)length;
    const uint32_t start = ring->index & (ring->capacity - 1);
    const uint32_t first = ring->capacity - start < count ? ring->capacity - start : count;
    __builtin_memcpy(ring->data + start, bytes, first);
    __builtin_memcpy(ring->data, (const uint8_t *)bytes + first, count - first);
    ring->index += count;
    /* Release: the bytes are in place before the consumer can see the new tail. */
    tessera_serial__store(&ring->control->tail, ring->index);
    return (long)count;
}

/* True (1) when the consumer asked to be woken: signal it now. Takes the request, so one signal
 * answers however many writes. Call it only after writing at least one byte: a signal that brings
 * nothing is answered by one, and two peers doing that wake each other for ever. Pairs with
 * tessera_serial_consumer_prepare_to_sleep(). */
static inline int tessera_serial_producer_signal_needed(struct tessera_serial_ring *ring)
{
    /* Orders the tail store before the flag load; the consumer orders its flag store before
     * its tail load, so at least one side sees the other. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t *flag = &ring->control->consumer_wants_signal;
    return __atomic_load_n(flag, __ATOMIC_RELAXED) != 0 &&
           __atomic_exchange_n(flag, 0, __ATOMIC_ACQ_REL) != 0;
}

/* Before waiting for room for `wanted` bytes: asks the consumer for a signal when it frees some.
 * Returns 1 if there is still too little room (wait for the signal, then check again), 0 if the
 * room appeared meanwhile (the request is withdrawn: write now), TESSERA_SERIAL_CORRUPT. */
static inline int tessera_serial_producer_prepare_to_sleep(struct tessera_serial_ring *ring,
                                                           size_t wanted)
{
    __atomic_store_n(&ring->control->producer_wants_signal, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    const long space = tessera_serial_free_space(ring);
    if (space < 0)
        return (int)space;
    if ((size_t)space >= wanted || (size_t)space == ring->capacity) {
        __atomic_store_n(&ring->control->producer_wants_signal, 0, __ATOMIC_RELAXED);
        return 0;
    }
    return 1;
}

/* ---- Consumer ---- */

/* Bytes waiting to be read, or TESSERA_SERIAL_CORRUPT. */
static inline long tessera_serial_available(const struct tessera_serial_ring *ring)
{
    /* Acquire: the producer wrote the bytes before it published the tail. */
    const uint32_t count = tessera_serial__load(&ring->control->tail) - ring->index;
    if (count > ring->capacity)
        return TESSERA_SERIAL_CORRUPT;
    return (long)count;
}

/* Copies up to `length` waiting bytes into `bytes` without taking them; returns the count or
 * TESSERA_SERIAL_CORRUPT. */
static inline long tessera_serial_peek(const struct tessera_serial_ring *ring, void *bytes,
                                       size_t length)
{
    const long available = tessera_serial_available(ring);
    if (available < 0)
        return available;
    const uint32_t count = (size_t)available < length ? (uint32_t)available : (uint32_t)length;
    const uint32_t start = ring->index & (ring->capacity - 1);
    const uint32_t first = ring->capacity - start < count ? ring->capacity - start : count;
    __builtin_memcpy(bytes, ring->data + start, first);
    __builtin_memcpy((uint8_t *)bytes + first, ring->data, count - first);
    return (long)count;
}

/* Takes up to `length` bytes (as many as wait) and frees their room; returns the count or
 * TESSERA_SERIAL_CORRUPT. */
static inline long tessera_serial_discard(struct tessera_serial_ring *ring, size_t length)
{
    const long available = tessera_serial_available(ring);
    if (available < 0)
        return available;
    const uint32_t count = (size_t)available < length ? (uint32_t)available : (uint32_t)length;
    ring->index += count;
    /* Release: the bytes are read before the producer may overwrite them. */
    tessera_serial__store(&ring->control->head, ring->index);
    return (long)count;
}

/* Reads up to `length` bytes into `bytes` and frees their room; returns the count or
 * TESSERA_SERIAL_CORRUPT. */
static inline long tessera_serial_read(struct tessera_serial_ring *ring, void *bytes,
                                       size_t length)
{
    const long count = tessera_serial_peek(ring, bytes, length);
    if (count <= 0)
        return count;
    return tessera_serial_discard(ring, (size_t)count);
}

/* True (1) when the producer waits for room: signal it now. Only after taking at least one byte
 * (see tessera_serial_producer_signal_needed). */
static inline int tessera_serial_consumer_signal_needed(struct tessera_serial_ring *ring)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t *flag = &ring->control->producer_wants_signal;
    return __atomic_load_n(flag, __ATOMIC_RELAXED) != 0 &&
           __atomic_exchange_n(flag, 0, __ATOMIC_ACQ_REL) != 0;
}

/* Before waiting for bytes: asks the producer for a signal on its next write. Returns 1 if the
 * ring is still empty (wait), 0 if bytes arrived meanwhile (the request is withdrawn: read now),
 * TESSERA_SERIAL_CORRUPT. */
static inline int tessera_serial_consumer_prepare_to_sleep(struct tessera_serial_ring *ring)
{
    __atomic_store_n(&ring->control->consumer_wants_signal, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    const long available = tessera_serial_available(ring);
    if (available < 0)
        return (int)available;
    if (available > 0) {
        __atomic_store_n(&ring->control->consumer_wants_signal, 0, __ATOMIC_RELAXED);
        return 0;
    }
    return 1;
}

/* ---- Recovery ---- */

/* After TESSERA_SERIAL_CORRUPT: takes the peer's index as it is now and publishes our own to
 * match, so the ring is empty and usable again (bytes in flight are lost). A producer adopts the
 * consumer's head as its tail; a consumer adopts the producer's tail as its head. */
static inline void tessera_serial_resynchronise_producer(struct tessera_serial_ring *ring)
{
    ring->index = tessera_serial__load(&ring->control->head);
    tessera_serial__store(&ring->control->tail, ring->index);
}

static inline void tessera_serial_resynchronise_consumer(struct tessera_serial_ring *ring)
{
    ring->index = tessera_serial__load(&ring->control->tail);
    tessera_serial__store(&ring->control->head, ring->index);
}

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_QUEUE_SERIAL_H */
