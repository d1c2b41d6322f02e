// The shared-memory layout of a single-producer single-consumer descriptor queue (after sDDF):
// a control block with free-running head and tail indices and two "signal wanted" flags,
// followed by a power-of-two ring of fixed-size descriptors. Both sides map the same frames.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::queue {

// Memory orders of the compiler's atomic built-ins. The queues use the built-ins rather than
// <atomic>, whose hosted parts (waiting, system_error) a freestanding component cannot build.
enum class MemoryOrder : int {
    Relaxed = __ATOMIC_RELAXED,
    Acquire = __ATOMIC_ACQUIRE,
    Release = __ATOMIC_RELEASE,
    AcquireRelease = __ATOMIC_ACQ_REL,
    Sequential = __ATOMIC_SEQ_CST,
};

inline void fence(MemoryOrder order = MemoryOrder::Sequential)
{
    __atomic_thread_fence(static_cast<int>(order));
}

// A 32-bit word shared with another address space, read and written only atomically.
class SharedIndex {
public:
    uint32_t load(MemoryOrder order = MemoryOrder::Sequential) const
    {
        return __atomic_load_n(&value_, static_cast<int>(order));
    }
    void store(uint32_t value, MemoryOrder order = MemoryOrder::Sequential)
    {
        __atomic_store_n(&value_, value, static_cast<int>(order));
    }
    uint32_t exchange(uint32_t value, MemoryOrder order = MemoryOrder::Sequential)
    {
        return __atomic_exchange_n(&value_, value, static_cast<int>(order));
    }

private:
    uint32_t value_;
};
static_assert(sizeof(SharedIndex) == 4);

// The default descriptor: where a buffer lies in a data region both sides have mapped.
struct BufferDescriptor {
    uint64_t offset; // bytes from the start of the shared data region
    uint32_t length; // bytes of the buffer in use
    uint32_t cookie; // the producer's tag (a request id), handed back unchanged in replies
};
static_assert(sizeof(BufferDescriptor) == 16);

static_assert(__atomic_always_lock_free(sizeof(uint32_t), 0),
              "queue indices live in memory shared between address spaces: no hidden locks");

constexpr size_t CacheLine = 64;

// Indices run freely and wrap at 2^32; the slot is index & (capacity - 1). The producer writes
// only `tail`, the consumer only `head`; each sits on its own cache line so they do not bounce.
// All-zero memory (what a freshly retyped frame holds) is an empty queue nobody waits on.
struct Control {
    alignas(CacheLine) SharedIndex tail; // next slot the producer fills
    // Set by the consumer before it sleeps on an empty queue; taken by the producer, who then
    // signals.
    SharedIndex consumer_wants_signal;
    alignas(CacheLine) SharedIndex head; // next slot the consumer reads
    // Set by the producer before it sleeps on a full queue; taken by the consumer, who then
    // signals.
    SharedIndex producer_wants_signal;
};
static_assert(sizeof(Control) == 2 * CacheLine);

// Corrupt: the peer's index is impossible (more descriptors in flight than the ring holds). The
// queue lives in memory the peer can write, so a broken or hostile peer must not make this side
// read garbage slots; the caller treats the peer as failed until the queue is reset.
enum class QueueStatus { Ok, Full, Empty, Corrupt };

// 1 to 2^31 slots, a power of two so that wrapping indices keep mapping to the same slots.
constexpr bool is_valid_capacity(uint32_t capacity)
{
    return capacity != 0 && capacity <= (1u << 31) && (capacity & (capacity - 1)) == 0;
}

// Bytes a queue of `capacity` descriptors of type T occupies: the control block, then the ring.
template <class Descriptor> constexpr size_t region_bytes(uint32_t capacity)
{
    return sizeof(Control) + static_cast<size_t>(capacity) * sizeof(Descriptor);
}

// The two halves of a mapped queue region; each side builds its view from its own configuration
// (never from values in shared memory, which the peer could change).
template <class Descriptor> struct Region {
    Control* control;
    Descriptor* ring;
    uint32_t mask;

    // `memory` is the mapped region (64-byte aligned, region_bytes(capacity) long), `capacity`
    // must satisfy is_valid_capacity(): both come from the system description.
    Region(void* memory, uint32_t capacity)
        : control(static_cast<Control*>(memory)),
          ring(reinterpret_cast<Descriptor*>(static_cast<char*>(memory) + sizeof(Control))),
          mask(capacity - 1)
    {
    }

    uint32_t capacity() const { return mask + 1; }
};

// Empties the queue and clears both flags. For the side that owns the region, before the peer
// starts; not needed on zeroed memory.
inline void reset(Control& control)
{
    control.tail.store(0, MemoryOrder::Relaxed);
    control.head.store(0, MemoryOrder::Relaxed);
    control.consumer_wants_signal.store(0, MemoryOrder::Relaxed);
    control.producer_wants_signal.store(0, MemoryOrder::Release);
}

} // namespace tessera::queue
