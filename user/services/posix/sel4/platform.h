// The server as seL4's root task: it grows its CSpace past the kernel's 4096 slots (every page a
// process maps costs a capability copy), takes a large heap of its own, and sets up the frame
// pool, the process mapping backend and the endpoint every process faults to.
#pragma once

#include <tessera/alloc/object_allocator.h>

#include "sel4/frame_pool.h"
#include "sel4/mapping_backend.h"
#include "server/server.h"

namespace tessera::posix::sel4 {

struct Platform {
    alloc::ObjectAllocator& objects;
    FramePool& frames;
    MappingBackend& backend;
    seL4_CPtr endpoint;
    server::Clock* clock; // null when the machine has no HPET or RTC (the time calls: ENOSYS)
};

// Everything above, once. Null after printing why when the machine refuses a step.
Platform* start_platform(const seL4_BootInfo& boot_info);

} // namespace tessera::posix::sel4
