// The boot sequence on x86_64, from the long-mode stub to the first user thread.
#include "arch/platform.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/debug_syscalls.h"
#include "arch/x86_64/descriptors.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/kernel_config.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/vspace/page_attributes.h"
#include "arch/x86_64/root_task.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/thread.h"
#include "boot/boot_options.h"
#include "boot/multiboot.h"
#include "boot/physical_regions.h"
#include "scheduler/scheduler.h"
#include "kernel/console.h"

extern "C" char kernel_phys_start[], kernel_phys_end[];

namespace tessera::x86_64 {
namespace {

constexpr uint32_t TimerPeriodMicroseconds = 2000;
constexpr uint64_t LowMemoryEnd = 0x100000; // below 1 MiB: BIOS data, never handed out

boot::MultibootInfo multiboot;
boot::PhysicalRegions free_memory;

const char* memory_type_name(uint32_t type)
{
    switch (type) {
    case 1: return "usable";
    case 2: return "reserved";
    case 3: return "ACPI reclaimable";
    case 4: return "ACPI NVS";
    case 5: return "bad";
    default: return "unknown";
    }
}

void enable_user_fpu()
{
    // x87 and SSE for user code (the kernel itself is built without them).
    write_cr0((read_cr0() & ~(cr0::Emulation | cr0::TaskSwitched)) | cr0::MonitorCoprocessor | cr0::NumericError);
    write_cr4(read_cr4() | cr4::OsFxsr | cr4::OsXmmExcept);
    asm volatile("fninit");
}

void collect_free_memory(uint64_t direct_map_end)
{
    for (unsigned i = 0; i < multiboot.memory_count; i++) {
        const auto& e = multiboot.memory[i];
        if (e.type != uint32_t(boot::MemoryType::Usable))
            continue;
        uint64_t start = e.start.raw(), end = e.start.raw() + e.length;
        if (start < LowMemoryEnd)
            start = LowMemoryEnd;
        if (end > direct_map_end)
            end = direct_map_end;
        if (start < end && !free_memory.add({boot::PAddr{start}, boot::PAddr{end}}))
            panic("too many free memory ranges");
    }
    bool ok = free_memory.remove({boot::PAddr{reinterpret_cast<uint64_t>(kernel_phys_start)},
                                  boot::PAddr{reinterpret_cast<uint64_t>(kernel_phys_end)}});
    for (unsigned i = 0; i < multiboot.loader_range_count; i++)
        ok = ok && free_memory.remove(multiboot.loader_ranges[i]);
    for (unsigned i = 0; i < multiboot.module_count; i++)
        ok = ok && free_memory.remove(multiboot.modules[i].range);
    if (!ok)
        panic("too many free memory ranges");
}

} // namespace
} // namespace tessera::x86_64

using namespace tessera;
using namespace tessera::x86_64;

extern "C" void (*kernel_init_array_start[])();
extern "C" void (*kernel_init_array_end[])();

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uint32_t info_physical, uint64_t entry_tsc)
{
    // Constructors of kernel globals (the scheduler's); nothing before this line uses them.
    for (auto* constructor = kernel_init_array_start; constructor != kernel_init_array_end; ++constructor)
        (*constructor)();
    serial_init();
    kprintf("\nTessera microkernel, x86_64, seL4 ABI (non-MCS)\n");
    // bench/boot measures the boot from this TSC (instructions since reset under icount).
    kprintf("boot: Multiboot entry at TSC %lu\n", entry_tsc);
    print_cpu_features(detect_cpu_features());
    const core::DomainLimits domains = configured_domain_limits();
    ipc_context().scheduler.domain_schedule().set_limits(domains);
    if (domains.domains > 1) // seL4's default (one domain) says nothing, as before
        kprintf("domains: %u, a schedule of %lu entries\n", domains.domains, domains.schedule_length);

    // The boot stub identity-maps the first GiB, where loaders put the Multiboot information.
    const core::MemoryWindow identity{0};
    const boot::MultibootError error = read_multiboot(magic, boot::PAddr{info_physical}, identity, multiboot);
    if (error != boot::MultibootError::None) {
        kprintf("tessera: %s; halting\n", describe(error));
        arch::exit_system(BootRejectedExitStatus);
    }
    const uint64_t direct_map_end = init_kernel_address_space(multiboot);
    init_address_space_tags();
    init_page_attribute_table();
    // Read it again through the direct map: the identity map is gone.
    (void)read_multiboot(magic, boot::PAddr{info_physical}, core::MemoryWindow{DirectMapBase}, multiboot);

    kprintf("memory map:\n");
    for (unsigned i = 0; i < multiboot.memory_count; i++) {
        const auto& e = multiboot.memory[i];
        kprintf("  0x%016lx-0x%016lx %s\n", e.start.raw(), e.start.raw() + e.length, memory_type_name(e.type));
    }

    init_cpu_local(0);
    init_idt();
    init_svm(cpu_features()); // issue 24: AMD SVM guests, where the CPU has them
    enable_user_fpu();
    disable_legacy_pic();
    lapic_init();
    const uint64_t hz = calibrate_timers();
    kprintf("timer: TSC %lu.%03lu MHz, local APIC %u, tick every %u us\n", hz / 1000000, (hz / 1000) % 1000,
            lapic_id(), TimerPeriodMicroseconds);
    lapic_timer_start_periodic(TimerPeriodMicroseconds);
    init_devices(multiboot, direct_map_end); // issue 6: the IOAPICs, every pin masked

    collect_free_memory(direct_map_end);
    kprintf("free memory: %lu KiB in %u ranges\n", free_memory.total() / 1024, free_memory.count());

    set_exit_on_idle(boot::has_option(multiboot.command_line, "exit_on_idle"));
    run_debug_boot_hooks(multiboot.command_line); // the debug kernel's only (debug_syscalls.h)
    start_root_task(multiboot, free_memory);
}
