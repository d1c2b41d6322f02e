// The timer service's pending timeouts: a binary min-heap over every client's slots, ordered by
// deadline and, for equal deadlines, by the order they were set, with each slot's heap position
// kept so that replacing or cancelling a timeout is O(log n). Fixed capacity, no allocation.
#pragma once

#include <stdint.h>

#include <compare>

namespace tessera::timer {

// A point on the timer's clock, in nanoseconds since the driver started the counter.
class Instant {
public:
    constexpr Instant() = default;
    constexpr explicit Instant(uint64_t nanoseconds) : nanoseconds_(nanoseconds) {}
    constexpr uint64_t nanoseconds() const { return nanoseconds_; }
    constexpr auto operator<=>(const Instant&) const = default;

private:
    uint64_t nanoseconds_ = 0;
};

// One client's timeout: the client's index in the service and its slot.
struct TimeoutId {
    uint32_t client;
    uint32_t slot;
    constexpr bool operator==(const TimeoutId&) const = default;
};

class TimeoutQueue {
public:
    static constexpr uint32_t MaxClients = 32;
    static constexpr uint32_t Slots = 64;
    static constexpr uint32_t Capacity = MaxClients * Slots;

    // Whether `id` names a slot this queue holds.
    static constexpr bool is_valid(TimeoutId id) { return id.client < MaxClients && id.slot < Slots; }

    // Sets the timeout of a valid `id`, replacing the one it had.
    void set(TimeoutId id, Instant deadline);
    // Removes the timeout of a valid `id`; true if it had one.
    bool cancel(TimeoutId id);
    bool is_pending(TimeoutId id) const { return position_[key(id)] != 0; }

    bool is_empty() const { return size_ == 0; }
    uint32_t size() const { return size_; }
    // The first deadline; only when !is_empty().
    Instant earliest() const { return Instant{heap_[0].deadline}; }

    // Removes every timeout due at `now` (deadline <= now) and hands each to expire(TimeoutId),
    // earliest first. `expire` may not change the queue.
    template <class Expire> void expire_due(Instant now, Expire&& expire)
    {
        while (size_ != 0 && heap_[0].deadline <= now.nanoseconds()) {
            const uint32_t first = heap_[0].key;
            remove_at(0);
            expire(TimeoutId{first / Slots, first % Slots});
        }
    }

private:
    struct Entry {
        uint64_t deadline;
        uint64_t sequence; // the order of set() calls, for equal deadlines
        uint32_t key;      // client * Slots + slot
    };
    static constexpr uint32_t key(TimeoutId id) { return id.client * Slots + id.slot; }
    static bool before(const Entry& a, const Entry& b)
    {
        return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
    }
    void place(uint32_t index, const Entry& entry);
    void sift_up(uint32_t index);
    void sift_down(uint32_t index);
    void restore(uint32_t index); // after the entry at index changed: up or down as needed
    void remove_at(uint32_t index);

    Entry heap_[Capacity] = {};
    uint16_t position_[Capacity] = {}; // heap index + 1; 0: no timeout
    uint32_t size_ = 0;
    uint64_t next_sequence_ = 0;
};

static_assert(TimeoutQueue::Capacity < 0xffff, "heap positions fit in 16 bits");

} // namespace tessera::timer
