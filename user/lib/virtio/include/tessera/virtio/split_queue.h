// A split virtqueue, driver side (Virtio 1.1, 2.6): descriptor table, available ring and used
// ring in memory the device reaches by DMA. The queue hands out descriptor chains, publishes
// them, decides whether the device needs a notification (event index or the device's flag) and
// takes back what the device used. Everything the device writes is checked before it is
// believed: a used entry naming a chain that is not outstanding marks the queue broken.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/libos/result.h>
#include <tessera/virtio/layout.h>

namespace tessera::virtio {

// Where the three parts are for the driver (pointers) and the device (bus addresses). The
// driver's memory must stay put and be reachable by the device for the queue's lifetime.
struct QueueMemory {
    void* descriptors;
    void* available;
    void* used;
    uint64_t descriptors_bus;
    uint64_t available_bus;
    uint64_t used_bus;
};

// One buffer of a chain: `bytes` at bus address `address`, written by the device if
// `device_writes`, read by it otherwise.
struct Buffer {
    uint64_t address;
    uint32_t bytes;
    bool device_writes;
};

class SplitQueue {
public:
    // The driver picks its queue size (the device offers a maximum); 1024 bounds its own tables.
    static constexpr uint16_t MaxSize = 1024;

    // `size` is a power of two up to MaxSize; the memory is zeroed here. `event_index` is
    // whether VIRTIO_F_EVENT_IDX was negotiated.
    libos::Result<void> init(uint16_t size, const QueueMemory& memory, bool event_index);

    uint16_t size() const { return size_; }
    uint16_t free_descriptors() const { return free_count_; }
    bool is_broken() const { return broken_; }

    // Writes a chain for `count` buffers and makes it available (not yet visible to the
    // device: call publish()). Returns the chain's head, or NotEnoughMemory when fewer than
    // `count` descriptors are free (nothing is changed then).
    libos::Result<uint16_t> add(const Buffer* buffers, uint16_t count);

    // The head the next add() will use (the first free descriptor): lets the caller place
    // per-chain data (a request header) before adding.
    uint16_t next_head() const { return free_head_; }

    // Makes every chain added since the last publish visible to the device; returns whether
    // the device wants a notification for them.
    bool publish();

    // Takes the next used chain: true with its head and the bytes the device wrote, false when
    // there is none (or the queue is broken). Its descriptors are free again.
    bool take_used(uint16_t& head, uint32_t& written);

    // Before the driver sleeps: asks for an interrupt on the next used chain. Returns false if
    // one arrived meanwhile (take it instead of sleeping).
    bool prepare_to_sleep();

    // Chains the device holds (added and not yet taken back).
    uint16_t outstanding() const { return outstanding_; }

private:
    void free_chain(uint16_t head);
    volatile uint16_t* available_flags() const;
    volatile uint16_t* available_index() const;
    volatile uint16_t* available_entry(uint16_t slot) const;
    volatile uint16_t* used_event() const;   // in the available ring, after its entries
    volatile uint16_t* used_flags() const;
    volatile uint16_t* used_index() const;
    volatile UsedElement* used_entry(uint16_t slot) const;
    volatile uint16_t* available_event() const; // in the used ring, after its entries

    Descriptor* table_ = nullptr;
    uint8_t* available_ = nullptr;
    uint8_t* used_ = nullptr;
    uint16_t size_ = 0;
    uint16_t free_head_ = 0;
    uint16_t free_count_ = 0;
    uint16_t next_available_ = 0; // the available index the driver writes next
    uint16_t published_ = 0;      // the available index the device last saw
    uint16_t last_used_ = 0;      // the used index the driver has consumed up to
    uint16_t outstanding_ = 0;
    bool event_index_ = false;
    bool broken_ = false;
    // One bit per descriptor: set while it heads a chain the device holds.
    uint64_t heads_[MaxSize / 64] = {};
    uint16_t chain_length_[MaxSize] = {};
};

} // namespace tessera::virtio
