// A page of RAM as the server sees it: its bytes (mapped in the server), a count of who holds it
// (page-table entries of processes, the page cache of a file), and the platform's handle. The
// pool hands out zero-filled frames and takes them back when the count reaches zero.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::posix {

inline constexpr uint64_t PageSize = 4096;
inline constexpr uint64_t PageMask = PageSize - 1;

constexpr uint64_t page_down(uint64_t address) { return address & ~PageMask; }
constexpr uint64_t page_up(uint64_t address) { return (address + PageMask) & ~PageMask; }
constexpr bool is_page_aligned(uint64_t address) { return (address & PageMask) == 0; }

struct Frame {
    uint8_t* data = nullptr;  // the page's 4096 bytes, in the server's address space
    uint64_t platform = 0;    // the platform's handle (on seL4: the server's frame capability)
    uint32_t references = 0;  // page-table entries and page caches holding the frame
};

class FramePool {
public:
    virtual ~FramePool() = default;
    // A zero-filled frame with no references, or nullptr when memory is exhausted.
    virtual Frame* allocate() = 0;
    // Takes back a frame nobody references.
    virtual void free(Frame* frame) = 0;
    // Frames that allocate() can still hand out.
    virtual size_t available() const = 0;
    // All frames the pool manages (for /proc/meminfo and sysinfo).
    virtual size_t total() const = 0;

    void acquire(Frame* frame) { ++frame->references; }
    void release(Frame* frame)
    {
        if (--frame->references == 0)
            free(frame);
    }
};

} // namespace tessera::posix
