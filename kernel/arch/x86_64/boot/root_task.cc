// Root task layout, following seL4 (src/kernel/boot.c): the ELF segments, then the IPC buffer
// frame right after the image, then the BootInfo frame, then the extra BootInfo frames. Tessera
// also maps a stack above those, behind an unmapped guard page; seL4 gives none, and programs built
// for seL4 bring their own, so it changes nothing for them.
#include "arch/x86_64/root_task.h"

#include <tessera/abi/initial_caps.h>

#include "arch/platform.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/root_cspace.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/user_address_space.h"
#include "boot/elf_image.h"
#include "cap/cap_kinds.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

constexpr uint64_t StackPages = 4;
constexpr uint64_t ExtraBootInfoPages = 1;

uint64_t page_down(uint64_t a) { return a & ~(PageSize - 1); }
uint64_t page_up(uint64_t a) { return (a + PageSize - 1) & ~(PageSize - 1); }

constexpr unsigned MaxImageFrames = 16384; // a 64 MiB image (root_cspace.cc sizes the CNode to it)

MappedFrame image_frames[MaxImageFrames];
unsigned image_frame_count = 0;
MappedFrame ipc_buffer_frame, boot_info_frame, extra_boot_info_frames[ExtraBootInfoPages];
RootTaskStack boot_stack;

[[noreturn]] void reject(const char* name, const char* reason)
{
    kprintf("tessera: root task '%s' rejected: %s; halting\n", name, reason);
    arch::exit_system(BootRejectedExitStatus);
}

// Maps the page at `page`, which some segment touches, with the union of the rights of the
// segments sharing it, and copies their file bytes into it.
bool map_image_page(UserAddressSpaceBuilder& space, const boot::ElfImage& image, const uint8_t* file, uint64_t page)
{
    PageAccess access{false, false};
    bool used = false;
    for (unsigned i = 0; i < image.segment_count; i++) {
        const boot::ElfSegment& s = image.segments[i];
        if (s.vaddr.raw() < page + PageSize && page < s.end().raw()) {
            used = true;
            access.writable |= s.writable;
            access.executable |= s.executable;
        }
    }
    if (!used)
        return true;
    const uint64_t frame = space.allocate_zeroed_frame();
    if (frame == 0 || image_frame_count == MaxImageFrames || !space.map(page, frame, access))
        return false;
    image_frames[image_frame_count++] = {page, frame};
    auto* bytes = physical_to_virtual<uint8_t>(frame);
    for (unsigned i = 0; i < image.segment_count; i++) {
        const boot::ElfSegment& s = image.segments[i];
        const uint64_t file_start = s.vaddr.raw(), file_end = s.vaddr.raw() + s.file_size;
        const uint64_t from = file_start > page ? file_start : page;
        const uint64_t to = file_end < page + PageSize ? file_end : page + PageSize;
        if (from < to)
            __builtin_memcpy(bytes + (from - page), file + s.file_offset + (from - file_start), to - from);
    }
    return true;
}

// Calls `visit(page)` for every page that a segment touches, in address order, until it returns
// false. The segments are sorted and disjoint (parse_elf_image), so walking each one's pages, minus
// a page its predecessor already took, visits each page once: the gaps between segments cost
// nothing (the loader's embedded image sits a GiB above its code, and walking that gap page by page
// took 16 million instructions of the boot).
template <typename Visit>
bool for_each_image_page(const boot::ElfImage& image, Visit visit)
{
    uint64_t next = 0;
    for (unsigned i = 0; i < image.segment_count; i++) {
        const boot::ElfSegment& s = image.segments[i];
        const uint64_t first = page_down(s.vaddr.raw()) > next ? page_down(s.vaddr.raw()) : next;
        for (uint64_t page = first; page < page_up(s.end().raw()); page += PageSize) {
            if (!visit(page))
                return false;
            next = page + PageSize;
        }
    }
    return true;
}

bool map_image(UserAddressSpaceBuilder& space, const boot::ElfImage& image, const uint8_t* file)
{
    return for_each_image_page(image, [&](uint64_t page) { return map_image_page(space, image, file, page); });
}

uint64_t image_page_count(const boot::ElfImage& image)
{
    uint64_t count = 0;
    for_each_image_page(image, [&](uint64_t) { return ++count, true; });
    return count;
}

// Maps `count` fresh zeroed pages at `vaddr`, recording them in `frames` when given.
bool map_fresh_pages(UserAddressSpaceBuilder& space, uint64_t vaddr, uint64_t count, MappedFrame* frames = nullptr)
{
    for (uint64_t i = 0; i < count; i++) {
        const uint64_t frame = space.allocate_zeroed_frame();
        if (frame == 0 || !space.map(vaddr + i * PageSize, frame, {true, false}))
            return false;
        if (frames)
            frames[i] = {vaddr + i * PageSize, frame};
    }
    return true;
}

} // namespace

RootTaskStack root_task_stack() { return boot_stack; }

void start_root_task(const boot::MultibootInfo& info, boot::PhysicalRegions& free)
{
    if (info.module_count == 0)
        reject("(none)", "no boot module: the root task must be the first Multiboot module");
    const boot::BootModule& module = info.modules[0];
    const char* name = module.command_line[0] ? module.command_line : "module 0";
    const auto* file = physical_to_virtual<const uint8_t>(module.range.start.raw());

    boot::ElfImage image;
    const boot::ElfError error = parse_elf_image(file, module.range.size(), {core::VAddr{0}, core::VAddr{UserTop}}, image);
    if (error != boot::ElfError::None)
        reject(name, describe(error));

    const uint64_t ipc_buffer = page_up(image.highest.raw());
    const uint64_t boot_info = ipc_buffer + PageSize;
    const uint64_t stack_bottom = boot_info + PageSize * (1 + ExtraBootInfoPages + 1); // + guard
    const uint64_t stack_top = stack_bottom + StackPages * PageSize;
    if (stack_top > UserTop)
        reject(name, "the image leaves no room above it for the IPC buffer, BootInfo and stack");

    if (image_page_count(image) > MaxImageFrames)
        reject(name, "its image has more than 64 MiB of pages");

    UserAddressSpaceBuilder space(free);
    if (!space.create() || !map_image(space, image, file) || !map_fresh_pages(space, ipc_buffer, 1, &ipc_buffer_frame) ||
        !map_fresh_pages(space, boot_info, 1, &boot_info_frame) ||
        !map_fresh_pages(space, boot_info + PageSize, ExtraBootInfoPages, extra_boot_info_frames) ||
        !map_fresh_pages(space, stack_bottom, StackPages))
        reject(name, "not enough memory to load it");
    boot_stack = {space.pml4_physical(), stack_bottom, stack_top};

    const RootTaskImage root_image{space,           image_frames,           image_frame_count, ipc_buffer_frame,
                                   boot_info_frame, extra_boot_info_frames, ExtraBootInfoPages};
    RootCSpace cspace;
    if (!create_root_cspace(root_image, info, tsc_hz(), free, cspace))
        reject(name, "not enough memory for its capability space");
    kprintf("root cspace: %u untypeds, %lu KiB of untyped memory, 2^%u slots\n", cspace.untyped_count,
            cspace.untyped_bytes / 1024, cspace.cnode_bits);

    kprintf("root task '%s': %u segments at 0x%lx..0x%lx, entry 0x%lx, ipc buffer 0x%lx, boot info 0x%lx\n",
            name, image.segment_count, image.lowest.raw(), image.highest.raw(), image.entry.raw(),
            ipc_buffer, boot_info);

    core::CoreContext& ctx = core_context();
    const core::CNodeCap root{cspace.cnode};
    auto slot = [&](core::Word index) -> core::Slot& { return *ctx.window.at<core::Slot>(root.slot_address(index)); };
    core::Tcb& tcb = *ctx.window.at<core::Tcb>(core::TcbCap{slot(seL4_CapInitThreadTCB).cap}.object());
    start_root_thread(tcb, image.entry.raw(), stack_top, boot_info, ipc_buffer, slot(seL4_CapInitThreadCNode),
                      slot(seL4_CapInitThreadVSpace), slot(seL4_CapInitThreadIPCBuffer));
}

} // namespace tessera::x86_64
