// The pipe's ring buffer.
#include "server/pipe.h"

#include <stdlib.h>
#include <string.h>

namespace tessera::posix::server {

Pipe::Pipe() : ring_(static_cast<uint8_t*>(malloc(Capacity))) {}

Pipe::~Pipe()
{
    free(ring_);
}

size_t Pipe::put(const uint8_t* bytes, size_t length)
{
    size_t moved = 0;
    while (moved < length && count_ < Capacity) {
        ring_[(head_ + count_) % Capacity] = bytes[moved++];
        ++count_;
    }
    return moved;
}

size_t Pipe::take(uint8_t* bytes, size_t length)
{
    size_t moved = 0;
    while (moved < length && count_ > 0) {
        bytes[moved++] = ring_[head_];
        head_ = (head_ + 1) % Capacity;
        --count_;
    }
    while (moved < length && preloaded_left_ > 0) {
        const size_t n = length - moved < preloaded_left_ ? length - moved : preloaded_left_;
        memcpy(bytes + moved, preloaded_, n);
        preloaded_ += n;
        preloaded_left_ -= n;
        moved += n;
    }
    return moved;
}

} // namespace tessera::posix::server
