// The producing end of a descriptor queue: fills slots, then signals the consumer only if it
// asked to be woken. Owned by exactly one thread.
#pragma once

#include <tessera/queue/layout.h>

namespace tessera::queue {

template <class Descriptor = BufferDescriptor> class Producer {
public:
    Producer(void* memory, uint32_t capacity) : region_(memory, capacity) {}

    // Ok, Full, or Corrupt when the consumer's head is impossible (nothing written unless Ok).
    // The consumer may see the descriptor as soon as this returns; call publish() after one
    // push or a batch to wake it.
    [[nodiscard]] QueueStatus push(const Descriptor& descriptor)
    {
        Control& control = *region_.control;
        const uint32_t tail = control.tail.load(MemoryOrder::Relaxed);
        // Acquire: the consumer has finished reading every slot up to head, so reuse is safe.
        const uint32_t head = control.head.load(MemoryOrder::Acquire);
        if (tail - head > region_.capacity())
            return QueueStatus::Corrupt;
        if (tail - head == region_.capacity())
            return QueueStatus::Full;
        region_.ring[tail & region_.mask] = descriptor;
        // Release: the descriptor is written before the consumer can see the new tail.
        control.tail.store(tail + 1, MemoryOrder::Release);
        return QueueStatus::Ok;
    }

    // Calls `signal()` (e.g. seL4_Signal on the consumer's notification) if the consumer is
    // asleep or about to sleep, and only then: one signal per request however many pushes.
    template <class Signal> void publish(Signal&& signal)
    {
        // Orders the tail store above before the flag load below; pairs with the fence in
        // Consumer::prepare_to_sleep so that one of the two sides always sees the other.
        fence();
        Control& control = *region_.control;
        if (control.consumer_wants_signal.load(MemoryOrder::Relaxed) != 0 &&
            control.consumer_wants_signal.exchange(0, MemoryOrder::AcquireRelease) != 0)
            signal();
    }

    // Before sleeping on a full queue: asks the consumer for a signal once it frees a slot.
    // Returns true if the queue is still full (sleep now; the signal will come), false if a slot
    // freed meanwhile (the request is withdrawn; push again instead of sleeping).
    [[nodiscard]] bool prepare_to_sleep()
    {
        Control& control = *region_.control;
        control.producer_wants_signal.store(1, MemoryOrder::Relaxed);
        fence();
        if (!is_full()) {
            control.producer_wants_signal.store(0, MemoryOrder::Relaxed);
            return false;
        }
        return true;
    }

    uint32_t size() const
    {
        return region_.control->tail.load(MemoryOrder::Relaxed) -
               region_.control->head.load(MemoryOrder::Acquire);
    }
    bool is_full() const { return size() >= region_.capacity(); }
    uint32_t capacity() const { return region_.capacity(); }

private:
    Region<Descriptor> region_;
};

} // namespace tessera::queue
