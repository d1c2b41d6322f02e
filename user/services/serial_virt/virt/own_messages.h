// The serial virtualiser's own lines (input switched, a client broke its ring, input dropped):
// a few queued lines that go out through the same path as the clients' lines, so they never cut
// into one. When the queue is full, new messages are counted and dropped.
#pragma once

#include <stdarg.h>
#include <stdint.h>

namespace tessera::serial {

class OwnMessages {
public:
    static constexpr uint32_t Capacity = 8;
    static constexpr uint32_t LineBytes = 160; // a message, without prefix, with its newline

    // Queues one line; the format should not end in a newline (one is added).
    void add(const char* format, ...) __attribute__((format(printf, 2, 3)));

    bool is_empty() const { return head_ == tail_; }
    // The oldest line (with its newline) and its length; only when !is_empty().
    const char* front() const { return lines_[head_ % Capacity]; }
    uint32_t front_length() const { return lengths_[head_ % Capacity]; }
    void pop() { ++head_; }
    uint64_t dropped() const { return dropped_; }

private:
    char lines_[Capacity][LineBytes] = {};
    uint32_t lengths_[Capacity] = {};
    uint32_t head_ = 0, tail_ = 0;
    uint64_t dropped_ = 0;
};

} // namespace tessera::serial
