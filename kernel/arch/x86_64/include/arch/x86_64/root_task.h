// Loading the root task: the first Multiboot module, an ELF64 executable, becomes the first user
// thread in its own address space (seL4's "initial thread").
#pragma once

#include "boot/multiboot.h"
#include "boot/physical_regions.h"

namespace tessera::x86_64 {

// Exit status QEMU gets when boot refuses its input (no module, a corrupt root task).
inline constexpr unsigned BootRejectedExitStatus = 111;

// The root task's stack, which the kernel maps without capabilities (seL4 gives no stack): the
// address space (its PML4, physical) and [bottom, top). The invariant checker exempts exactly it.
struct RootTaskStack {
    uint64_t pml4, bottom, top;
};
RootTaskStack root_task_stack();

// Checks and maps the root task, then runs it. Bad input ends boot with one line and a halt.
[[noreturn]] void start_root_task(const boot::MultibootInfo& info, boot::PhysicalRegions& free);

} // namespace tessera::x86_64
