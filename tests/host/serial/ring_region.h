// Test helpers for the serial rings: a mapped ring region (64-byte aligned and zeroed, as a fresh
// shared frame is) and reading a ring until it is empty.
#pragma once

#include <tessera/queue/serial.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace tessera::test {

class RingRegion {
public:
    explicit RingRegion(size_t bytes)
        : bytes_(bytes), memory_(static_cast<char*>(std::aligned_alloc(64, round_up(bytes))))
    {
        std::memset(memory_.get(), 0, round_up(bytes));
    }
    void* memory() { return memory_.get(); }
    size_t bytes() const { return bytes_; }
    tessera_serial_control& control() { return *static_cast<tessera_serial_control*>(memory()); }

private:
    static size_t round_up(size_t bytes) { return (bytes + 63) & ~size_t{63}; }
    struct Free {
        void operator()(char* pointer) const { std::free(pointer); }
    };
    size_t bytes_;
    std::unique_ptr<char, Free> memory_;
};

// Everything waiting in the ring, taken out of it (as its consumer).
inline std::string read_all(tessera_serial_ring& ring)
{
    std::string text;
    char buffer[512];
    long count;
    while ((count = tessera_serial_read(&ring, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<size_t>(count));
    return text;
}

} // namespace tessera::test
