// Root-task start-up of the POSIX server.
#include "sel4/platform.h"

#include <stdio.h>
#include <string.h>

#include <tessera/libc.h>

#include "cspace_growth.h"
#include "mapped_memory.h"
#include "sel4/machine_clock.h"
#include "sel4/self_caps.h"

namespace tessera::posix::sel4 {

namespace {

// 2^16 slots: the pool's frames, one copy per page a process maps, and the paging structures.
// The kernel's root CNode is seL4's 2^12 slots for a small image but larger for a large one (a
// --disk image travels inside the server's image: kernel/boot/root_cnode_size.h), so its size
// comes from BootInfo; moving only 2^12 slots would leave the image frames and untypeds past
// slot 4096 in the old CNode, destroyed with it.
constexpr uint32_t GrownCNodeBits = 16;
// The server's heap (regions, page records, vectors) and its window on the frame pool, far
// above its own image.
constexpr seL4_Word HeapBase = 0x100000000000;
constexpr uint64_t HeapBytes = 32ull << 20;
constexpr uint32_t HeapPages = HeapBytes >> seL4_LargePageBits;
constexpr uint64_t FrameWindow = 0x200000000000;
constexpr size_t PoolFrames = 24 * 1024; // 96 MiB for the programs
constexpr uint64_t ClockWindow = 0x300000000000; // the HPET's registers

alloc::SlotAllocator slots;
alloc::UntypedAllocator untypeds{slots};
alloc::ObjectAllocator objects{slots, untypeds};
vspace::Mapping heap_mappings[HeapPages];

bool step(bool ok, const char* what)
{
    if (!ok)
        printf("posix: cannot start: %s\n", what);
    return ok;
}

// The heap, the frame pool, the mapping backend and the fault endpoint, once the slots and
// untypeds are known; the clock is started by `start_clock` with the pool's page tables.
template <typename StartClock>
Platform* start_common(StartClock start_clock)
{
    const SelfCaps& caps = self_caps();
    static loader::MappedMemory heap_memory(objects, HeapBase, heap_mappings, HeapPages,
                                            caps.vspace);
    auto heap = heap_memory.map(HeapBytes);
    // Nothing has been allocated yet, so the static start-up heap can be replaced.
    if (!step(bool(heap) && tessera_heap_init(heap.value(), HeapBytes) == 0, "a heap of 32 MiB"))
        return nullptr;
    static PageTables self(objects, caps.vspace);
    static FramePool frames(objects, self, FrameWindow, PoolFrames);
    static MappingBackend backend(objects, caps.asid_pool);
    auto endpoint = objects.endpoint();
    if (!step(bool(endpoint) && frames.total() == PoolFrames, "the fault endpoint and the frame pool"))
        return nullptr;
    static MachineClock clock;
    const bool clock_started = start_clock(clock, self);
    static Platform platform{objects, frames, backend, libos::raw(endpoint.value().cap),
                             clock_started ? &clock : nullptr};
    return &platform;
}

} // namespace

Platform* start_platform(const seL4_BootInfo& boot_info)
{
    if (!step(bool(slots.init(libos::CPtr{seL4_CapInitThreadCNode}, boot_info.empty)) &&
                  bool(untypeds.add_boot_info(boot_info)),
              "the boot information's slots and untypeds"))
        return nullptr;
    const auto root_bits = uint32_t(boot_info.initThreadCNodeSizeBits);
    if (root_bits < GrownCNodeBits &&
        !step(bool(loader::grow_cspace(objects, root_bits, GrownCNodeBits, boot_info.empty.start,
                                       loader::DebugCalls::Present)),
              "a CSpace of 2^16 slots"))
        return nullptr;
    return start_common([](MachineClock& clock, PageTables& self) {
        return clock.start(objects, self, ClockWindow);
    });
}

Platform* start_platform_pd(const PdResources& given)
{
    const tessera_manager_directory& d = *given.directory;
    if (!step(memcmp(d.magic, TESSERA_MANAGER_DIRECTORY_MAGIC, sizeof d.magic) == 0 &&
                  d.cnode_bits <= TESSERA_MANAGER_MAX_CNODE_BITS &&
                  d.untyped_count <= TESSERA_MANAGER_MAX_UNTYPEDS,
              "no directory of the PD's resources (a <manager ram= caps=> element)"))
        return nullptr;
    self_caps_storage = SelfCaps{TESSERA_MANAGER_SLOT_CNODE, TESSERA_MANAGER_SLOT_VSPACE,
                                 TESSERA_MANAGER_SLOT_TCB, TESSERA_MANAGER_SLOT_ASID_POOL};
    const seL4_SlotRegion free_slots{TESSERA_MANAGER_SLOT_FREE, seL4_Word{1} << d.cnode_bits};
    bool ok = bool(slots.init(libos::CPtr{TESSERA_MANAGER_SLOT_CNODE}, free_slots));
    // The build splits the RAM into untypeds of at most 16 MiB; their physical addresses do not
    // matter here (the device memory the server uses is mapped by its description).
    for (uint32_t u = 0; ok && u < d.untyped_count; ++u)
        ok = bool(untypeds.add(libos::CPtr{TESSERA_MANAGER_SLOT_UNTYPED_BASE + u}, libos::PAddr{0},
                               libos::SizeBits{d.untyped_bits[u]}, alloc::Memory::Ram));
    if (!step(ok, "the PD's slots and untypeds"))
        return nullptr;
    return start_common([&given](MachineClock& clock, PageTables&) {
        if (given.hpet == nullptr || given.rtc_ports == 0) {
            printf("posix: no clock: the PD has no HPET map or RTC ports\n");
            return false;
        }
        return clock.start_given(objects, given.hpet, given.rtc_ports, given.clock_irq);
    });
}

} // namespace tessera::posix::sel4
