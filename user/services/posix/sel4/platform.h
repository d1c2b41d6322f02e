// The server's start-up, as seL4's root task or as a protection domain. The root task grows its
// CSpace past the kernel's 4096 slots (every page a process maps costs a capability copy); both
// take a large heap of their own and set up the frame pool, the process mapping backend and the
// endpoint every process faults to.
#pragma once

#include <tessera/alloc/object_allocator.h>
#include <tessera/spec.h>

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

// Everything above, once, as the root task. Null after printing why when the machine refuses a step.
Platform* start_platform(const seL4_BootInfo& boot_info);

// What a protection domain's description gives the server instead of BootInfo (docs/posix.md,
// "The server as a protection domain"): a `<manager ram= caps=>` element's resources (its own
// CNode of 2^cnode_bits slots, address space, TCB, ASID pool and untypeds, named by the directory
// page), the HPET's registers mapped uncached, the RTC's I/O ports and HPET timer 0's interrupt.
struct PdResources {
    const tessera_manager_directory* directory;
    volatile uint64_t* hpet; // null: no clock
    seL4_CPtr rtc_ports;     // 0: no clock
    seL4_CPtr clock_irq;     // 0: a clock without events
};

// The same as start_platform, as a protection domain: its slots and untypeds from the directory
// (no CSpace to grow: the description sizes it), the clock from the given devices.
Platform* start_platform_pd(const PdResources& resources);

} // namespace tessera::posix::sel4
