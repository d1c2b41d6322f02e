// The loader's set-up, shared by the boot-time loader and its in-system test suite: finds and
// validates the embedded image, sets up the allocators over the BootInfo's untyped memory and
// empty slots, and the window in its own address space that FILL_FRAME copies through.
#pragma once

#include "embedded_image.h"
#include "executor.h"
#include "kernel_probe.h"

namespace tessera::loader {

class Loader {
public:
    // The page through which FILL_FRAME writes a frame. It lies far above the loader's own span
    // (program, image, and the IPC buffer and BootInfo frames the kernel puts right after it),
    // at 512 GiB, in an address range no image can reach; its tables are the loader's own.
    static constexpr seL4_Word WindowBase = 0x8000000000;

    // Asks the kernel whether it has seL4's debug calls (and goes silent when it has not: seL4's
    // release build cannot print), validates the embedded image and prepares everything to
    // execute it. On failure prints one line starting with "loader: " and returns false; none of
    // the system's objects exists yet.
    bool open(const seL4_BootInfo& boot_info);

    // Prints the plan's numbers: memory, address spaces, capabilities, CSpace size.
    void report_plan() const;
    // RAM taken from untyped memory since the loader started.
    uint64_t memory_used() const;

    // Prints one line naming the failed op and the kernel's error.
    void report_failure(const libos::Error& error) const;

    Executor& executor() { return executor_; }
    alloc::ObjectAllocator& objects() { return objects_; }
    vspace::VSpace& self() { return self_; }
    const spec::ImageView& image() const { return image_; }
    // Threads the spec starts: one per protection domain.
    uint32_t thread_count() const;
    DebugCalls debug_calls() const { return debug_calls_; }
    // Slots of the loader's CSpace root: the kernel's root CNode, or the larger one it grew.
    seL4_Word cspace_slots() const { return seL4_Word{1} << cspace_bits_; }

private:
    // The steps of open(), in order; each prints its one line on failure.
    bool take_boot_memory(const seL4_BootInfo& boot_info);
    bool probe_kernel();
    bool open_image(const seL4_BootInfo& boot_info);
    // A packed image is unpacked into pages of the loader's own; `embedded` then names them.
    bool unpack(EmbeddedImage& embedded);
    bool fits_machine() const;
    bool prepare_cspace();

    spec::ImageView image_;
    alloc::SlotAllocator slots_;
    alloc::UntypedAllocator untypeds_{slots_};
    alloc::ObjectAllocator objects_{slots_, untypeds_};
    vspace::Mapping window_mappings_[1];
    vspace::VSpace self_{objects_, libos::CPtr{seL4_CapInitThreadVSpace}, VAddr{WindowBase},
                         VAddr{WindowBase + 0x200000}, window_mappings_, 1};
    TableMemory tables_{objects_};
    // Where a packed image is unpacked: 514 GiB, up to 1 GiB.
    static constexpr seL4_Word UnpackedImageBase = 0x8080000000;
    static constexpr uint32_t MaxUnpackedPages = 512;
    vspace::Mapping image_mappings_[MaxUnpackedPages];
    MappedMemory image_pages_{objects_, UnpackedImageBase, image_mappings_, MaxUnpackedPages};
    uint64_t unpacked_bytes_ = 0;
    uint8_t* kinds_ = nullptr;
    uint64_t free_at_start_ = 0; // RAM bytes of untyped memory when the loader started
    seL4_Word first_free_slot_ = 0; // BootInfo.empty.start
    DebugCalls debug_calls_ = DebugCalls::Present;
    uint32_t cspace_bits_ = 0;
    Executor executor_{image_, objects_, self_, VAddr{WindowBase}};
};

// libsel4's name of an error code ("seL4_NotEnoughMemory").
const char* error_name(seL4_Error error);

} // namespace tessera::loader
