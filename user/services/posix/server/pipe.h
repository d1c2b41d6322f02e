// A pipe: a 64 KiB ring (Linux's default capacity) and the count of open read and write ends, so
// a reader sees end-of-file once every writer has closed and a writer gets EPIPE once every
// reader has.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"

namespace tessera::posix::server {

class Pipe : public RefCounted {
public:
    static constexpr size_t Capacity = 64 * 1024;

    Pipe();
    ~Pipe() override;
    bool valid() const { return ring_ != nullptr; }
    // Bytes written before the pipe was handed out (the tool's standard input), taken after the
    // ring's: they stay where they are, however many.
    void preload(const uint8_t* bytes, size_t length)
    {
        preloaded_ = bytes;
        preloaded_left_ = length;
    }

    // Copies up to `length` bytes in or out; the count moved (0 when full or empty).
    size_t put(const uint8_t* bytes, size_t length);
    size_t take(uint8_t* bytes, size_t length);
    size_t buffered() const { return count_ + preloaded_left_; }
    size_t room() const { return Capacity - count_; }

    uint32_t readers = 0;
    uint32_t writers = 0;

private:
    uint8_t* ring_;
    size_t head_ = 0; // next byte to take
    size_t count_ = 0;
    const uint8_t* preloaded_ = nullptr;
    size_t preloaded_left_ = 0;
};

} // namespace tessera::posix::server
