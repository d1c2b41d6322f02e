// The consuming end of a descriptor queue: takes descriptors in order and signals the producer
// only if it waits for room. Owned by exactly one thread.
#pragma once

#include <tessera/queue/layout.h>

namespace tessera::queue {

template <class Descriptor = BufferDescriptor> class Consumer {
public:
    Consumer(void* memory, uint32_t capacity) : region_(memory, capacity) {}

    // Ok with the oldest descriptor in `descriptor`, Empty, or Corrupt when the producer's tail
    // claims more descriptors than the ring holds (`descriptor` untouched unless Ok).
    [[nodiscard]] QueueStatus pop(Descriptor& descriptor)
    {
        Control& control = *region_.control;
        const uint32_t head = control.head.load(MemoryOrder::Relaxed);
        // Acquire: the producer wrote the slot before it published the tail.
        const uint32_t tail = control.tail.load(MemoryOrder::Acquire);
        if (tail == head)
            return QueueStatus::Empty;
        if (tail - head > region_.capacity())
            return QueueStatus::Corrupt;
        descriptor = region_.ring[head & region_.mask];
        // Release: the slot is read before the producer may overwrite it.
        control.head.store(head + 1, MemoryOrder::Release);
        return QueueStatus::Ok;
    }

    // Calls `signal()` if the producer sleeps waiting for room; call after one or more pops.
    template <class Signal> void publish(Signal&& signal)
    {
        fence(); // pairs with Producer::prepare_to_sleep
        Control& control = *region_.control;
        if (control.producer_wants_signal.load(MemoryOrder::Relaxed) != 0 &&
            control.producer_wants_signal.exchange(0, MemoryOrder::AcquireRelease) != 0)
            signal();
    }

    // Before sleeping on an empty queue: asks the producer for a signal on the next publish.
    // Returns true if the queue is still empty (sleep now), false if descriptors arrived
    // meanwhile (the request is withdrawn; pop again instead of sleeping).
    [[nodiscard]] bool prepare_to_sleep()
    {
        Control& control = *region_.control;
        control.consumer_wants_signal.store(1, MemoryOrder::Relaxed);
        // Orders the flag store before the tail load; pairs with the fence in Producer::publish.
        fence();
        if (!is_empty()) {
            control.consumer_wants_signal.store(0, MemoryOrder::Relaxed);
            return false;
        }
        return true;
    }

    uint32_t size() const
    {
        return region_.control->tail.load(MemoryOrder::Acquire) -
               region_.control->head.load(MemoryOrder::Relaxed);
    }
    bool is_empty() const { return size() == 0; }
    uint32_t capacity() const { return region_.capacity(); }

private:
    Region<Descriptor> region_;
};

} // namespace tessera::queue
