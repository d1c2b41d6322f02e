// The loader's set-up, shared by the boot-time loader and its in-system test suite: finds and
// validates the embedded image, sets up the allocators over the BootInfo's untyped memory and
// empty slots, and the window in its own address space that FILL_FRAME copies through.
#pragma once

#include "executor.h"

namespace tessera::loader {

class Loader {
public:
    // Validates the embedded image and prepares everything to execute it. On failure prints one
    // line starting with "loader: " and returns false; nothing was changed in the kernel.
    bool open(const seL4_BootInfo& boot_info);

    // Prints one line naming the failed op and the kernel's error.
    void report_failure(const libos::Error& error) const;

    Executor& executor() { return executor_; }
    alloc::ObjectAllocator& objects() { return objects_; }
    vspace::VSpace& self() { return self_; }
    const spec::ImageView& image() const { return image_; }
    // Threads the spec starts: one per protection domain.
    uint32_t thread_count() const;

private:
    spec::ImageView image_;
    alloc::SlotAllocator slots_;
    alloc::UntypedAllocator untypeds_{slots_};
    alloc::ObjectAllocator objects_{slots_, untypeds_};
    // The window lies between the loader's program and its image (image.ld puts that at 1 GiB).
    static constexpr seL4_Word WindowBase = 0x30000000;
    vspace::Mapping window_mappings_[1];
    vspace::VSpace self_{objects_, libos::CPtr{seL4_CapInitThreadVSpace}, VAddr{WindowBase},
                         VAddr{WindowBase + 0x200000}, window_mappings_, 1};
    uint8_t* kinds_ = nullptr;
    Executor executor_{image_, objects_, self_, VAddr{WindowBase}};
};

// libsel4's name of an error code ("seL4_NotEnoughMemory").
const char* error_name(seL4_Error error);

} // namespace tessera::loader
