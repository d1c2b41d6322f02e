#include "arch/x86_64/root_cspace.h"

#include <tessera/abi/bootinfo.h>
#include <tessera/abi/initial_caps.h>
#include <tessera/abi/object_sizes.h>

#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/vspace.h"
#include "boot/extra_boot_info.h"
#include "boot/root_cnode_size.h"
#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "cap/slot.h"
#include "cdt/cdt.h"
#include "irq/madt.h"
#include "untyped/create_object.h"

namespace tessera::x86_64 {
namespace {

using core::Cap;
using core::PAddr;
using core::Word;

// The initial thread's ASID (seL4's IT_ASID).
constexpr Word InitialThreadAsid = 1;

class SlotFiller {
public:
    SlotFiller(core::Slot* slots, unsigned bits) : slots_(slots), bits_(bits) {}

    void put(Word index, Cap cap) { core::insert_root_cap(slots_[index], cap); }
    bool append(Cap cap)
    {
        if (next_ == (Word{1} << bits_))
            return false;
        put(next_++, cap);
        return true;
    }
    Word next() const { return next_; }

private:
    core::Slot* slots_;
    unsigned bits_;
    Word next_ = seL4_NumInitialCaps;
};

// Takes a naturally aligned, zeroed object of 1 << bits bytes from boot memory.
uint64_t allocate_object(boot::PhysicalRegions& free, unsigned bits)
{
    const boot::PhysicalRange r = free.allocate(Word{1} << bits, bits < PageBits ? PageBits : bits);
    if (r.is_empty())
        return 0;
    __builtin_memset(physical_to_virtual<void>(r.start.raw()), 0, r.size());
    return r.start.raw();
}

Cap mapped_frame_cap(const MappedFrame& frame)
{
    return core::FrameCap::make(PAddr{frame.physical}, core::FrameSize::Small, core::VmRights::ReadWrite,
                                core::Device::No)
        .with_mapping(core::Asid{InitialThreadAsid}, core::VAddr{frame.vaddr})
        .cap();
}

Cap paging_cap(const CreatedTable& table)
{
    const core::Asid asid{InitialThreadAsid};
    const core::VAddr at{table.vaddr};
    switch (table.level) {
    case 3: return core::PdptCap::make(PAddr{table.physical}).with_mapping(asid, at).cap();
    case 2: return core::PageDirectoryCap::make(PAddr{table.physical}).with_mapping(asid, at).cap();
    default: return core::PageTableCap::make(PAddr{table.physical}).with_mapping(asid, at).cap();
    }
}

// seL4's x86 extra BootInfo chunks (kernel/boot/extra_boot_info.cc) in the extra BootInfo pages.
Word write_extra_boot_info(const RootTaskImage& image, const boot::MultibootInfo& multiboot, uint64_t tsc_hz)
{
    const core::MemoryWindow& window = core_context().window;
    boot::ExtraBootInfoSources sources;
    seL4_X86_BootInfo_fb_t framebuffer{};
    boot::add_multiboot_video(multiboot, window, sources, framebuffer);
    constexpr Word BiosAreaEnd = 0x100000; // where the RSDP search ends
    if (const auto rsdp = core::find_acpi_rsdp(window, BiosAreaEnd))
        sources.rsdp = window.at<const uint8_t>(rsdp.value());
    sources.memory_map = window.at<const uint8_t>(multiboot.raw_memory_map);
    sources.memory_map_length = multiboot.raw_memory_map_length;
    sources.tsc_mhz = uint32_t(tsc_hz / 1000000);
    return boot::build_extra_boot_info(sources, physical_to_virtual<uint8_t>(image.extra_boot_info[0].physical),
                                       image.extra_boot_info_count * PageSize);
}

} // namespace

bool create_root_cspace(const RootTaskImage& image, const boot::MultibootInfo& multiboot, uint64_t tsc_hz,
                        boot::PhysicalRegions& free, RootCSpace& out)
{
    core::CoreContext& ctx = core_context();
    // Every capability the boot hands out, with seL4's bound on the untypeds' count.
    const Word boot_caps = seL4_NumInitialCaps + image.space.table_count() + image.extra_boot_info_count +
                           image.image_frame_count + CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS;
    const unsigned cnode_bits = boot::root_cnode_bits(boot_caps);
    const uint64_t cnode = allocate_object(free, cnode_bits + seL4_SlotBits);
    const uint64_t tcb = allocate_object(free, seL4_TCBBits);
    const uint64_t asid_pool = allocate_object(free, seL4_ASIDPoolBits);
    if (cnode == 0 || tcb == 0 || asid_pool == 0)
        return false;

    SlotFiller slots(ctx.window.at<core::Slot>(PAddr{cnode}), cnode_bits);
    // The root CNode resolves a whole 64-bit address: its radix (12 as a rule) plus a zero guard.
    const Cap root = core::CNodeCap::make(PAddr{cnode}, cnode_bits, 64 - cnode_bits, 0).cap();
    slots.put(seL4_CapInitThreadTCB, core::TcbCap::make(PAddr{tcb}).cap());
    slots.put(seL4_CapInitThreadCNode, root);
    slots.put(seL4_CapInitThreadVSpace, core::Pml4Cap::make(PAddr{image.space.pml4_physical()})
                                             .with_mapping(core::Asid{InitialThreadAsid}, core::VAddr{0})
                                             .cap());
    slots.put(seL4_CapIRQControl, core::IrqControlCap::make().cap());
    slots.put(seL4_CapASIDControl, core::AsidControlCap::make().cap());
    slots.put(seL4_CapInitThreadASIDPool, core::AsidPoolCap::make(PAddr{asid_pool}, core::Asid{0}).cap());
    slots.put(seL4_CapIOPortControl, core::IoPortControlCap::make().cap());
    slots.put(seL4_CapBootInfoFrame, mapped_frame_cap(image.boot_info));
    slots.put(seL4_CapInitThreadIPCBuffer, mapped_frame_cap(image.ipc_buffer));
    slots.put(seL4_CapDomain, core::DomainCap::make().cap());
    register_initial_asid_pool(asid_pool, core::Asid{InitialThreadAsid}, image.space.pml4_physical());

    seL4_BootInfo bi{};
    bi.nodeID = 0;
    bi.numNodes = 1;
    bi.numIOPTLevels = ~Word{0}; // seL4 without an IOMMU: -1
    bi.ipcBuffer = reinterpret_cast<seL4_IPCBuffer*>(image.ipc_buffer.vaddr);
    bi.initThreadCNodeSizeBits = cnode_bits;
    bi.initThreadDomain = 0;

    // seL4's order: the paging structures level by level (PDPTs, page directories, page
    // tables, each by address), the extra BootInfo pages, then the image frames.
    bi.userImagePaging.start = slots.next();
    for (unsigned level = 3; level >= 1; level--)
        for (unsigned i = 0; i < image.space.table_count(); i++)
            if (image.space.table(i).level == level && !slots.append(paging_cap(image.space.table(i))))
                return false;
    bi.userImagePaging.end = slots.next();

    bi.extraBIPages.start = slots.next();
    for (unsigned i = 0; i < image.extra_boot_info_count; i++)
        if (!slots.append(mapped_frame_cap(image.extra_boot_info[i])))
            return false;
    bi.extraBIPages.end = slots.next();

    bi.userImageFrames.start = slots.next();
    for (unsigned i = 0; i < image.image_frame_count; i++)
        if (!slots.append(mapped_frame_cap(image.image_frames[i])))
            return false;
    bi.userImageFrames.end = slots.next();
    bi.extraLen = write_extra_boot_info(image, multiboot, tsc_hz);

    // Everything still free becomes untyped memory. Like seL4, the untypeds start with a full
    // watermark, so the first retype from each one clears it (kernel/core/untyped/retype.cc).
    bi.untyped.start = slots.next();
    out = RootCSpace{root, cnode_bits, 0, 0};
    const auto add_untypeds = [&](const boot::PhysicalRegions& ranges, core::Device device, unsigned min_bits) {
        for (unsigned r = 0; r < ranges.count(); r++) {
            boot::split_into_aligned_blocks(ranges[r], min_bits, seL4_MaxUntypedBits, [&](PAddr start, unsigned bits) {
                if (out.untyped_count == CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS)
                    return; // the rest is not handed out, as in seL4
                const core::SizeBits size{bits};
                // Device memory is never cleared, so its untypeds start empty (watermark 0).
                const Word watermark = device == core::Device::Yes ? 0 : core::UntypedCap::max_free_index(size);
                if (!slots.append(core::UntypedCap::make(start, size, device, watermark).cap()))
                    return;
                seL4_UntypedDesc& d = bi.untypedList[out.untyped_count++];
                d.paddr = start.raw();
                d.sizeBits = uint8_t(bits);
                d.isDevice = device == core::Device::Yes;
                if (device == core::Device::No)
                    out.untyped_bytes += Word{1} << bits;
            });
        }
    };
    // seL4's create_untypeds order: the device memory first, then RAM.
    add_untypeds(device_memory(), core::Device::Yes, seL4_PageBits); // issue 6: device untypeds
    add_untypeds(free, core::Device::No, seL4_MinUntypedBits);
    bi.untyped.end = slots.next();
    bi.empty.start = slots.next();
    bi.empty.end = Word{1} << cnode_bits;

    __builtin_memcpy(physical_to_virtual<void>(image.boot_info.physical), &bi, sizeof(bi));
    return true;
}

} // namespace tessera::x86_64
