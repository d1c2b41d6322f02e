// Loading Linux into a guest's RAM by the x86 64-bit boot protocol: where the kernel, boot_params
// (the "zero page"), the command line and the initrd go, the e820 map the guest is given, and the
// identity-mapped page tables and GDT the 64-bit entry expects. Planned first with every check
// (a kernel or initrd that does not fit is an error naming it), then written, which cannot fail.
#pragma once

#include "boot_protocol.h"

namespace tessera::services::vmm {

// The guest's RAM as the VMM sees it: guest-physical 0 is data[0].
struct GuestRam {
    uint8_t* data;
    uint64_t size;
};

// Guest-physical layout below 1 MiB (docs/vmm.md, "Guest memory").
namespace guest_layout {
constexpr uint64_t Gdt = 0x1000;
constexpr uint64_t ZeroPage = 0x7000;
constexpr uint64_t PageTables = 0x9000; // PML4, PDPT, then 4 PDs: 4 GiB in 2 MiB pages
constexpr unsigned PageTablePages = 6;
constexpr uint64_t CommandLine = 0x20000;
constexpr uint64_t CommandLineLimit = 0x10000; // bytes reserved, NUL included
constexpr uint64_t LowRamEnd = 0x9fc00;        // usable RAM below the EBDA
constexpr uint64_t BiosStart = 0xe0000;        // reserved to 1 MiB: ACPI tables live here
constexpr uint64_t HighRamStart = 0x100000;
// RAM must end below the 32-bit MMIO hole (LAPIC, IOAPIC, PCI BARs).
constexpr uint64_t MaxRam = 3ull << 30;
constexpr uint64_t MinRam = 32ull << 20;
constexpr uint16_t BootCodeSelector = 0x10; // __BOOT_CS, as boot.rst asks for the 64-bit entry
constexpr uint16_t BootDataSelector = 0x18; // __BOOT_DS
} // namespace guest_layout

enum class E820Type : uint32_t { Ram = 1, Reserved = 2, Acpi = 3 };

struct E820Entry {
    uint64_t address;
    uint64_t size;
    E820Type type;
};

constexpr unsigned MaxE820Entries = 8;

// The files a guest boots from. `initrd.size` may be 0 (no initrd); `command_line` is
// NUL-terminated, possibly empty.
struct LinuxBootFiles {
    ImageBytes kernel;
    ImageBytes initrd;
    const char* command_line;
    uint64_t rsdp_address; // where the VMM put the ACPI RSDP, or 0
};

// Where everything goes and how the VCPU starts.
struct LinuxBootPlan {
    SetupHeader header;
    uint64_t ram_bytes;
    uint64_t kernel_address; // payload load address
    uint64_t initrd_address; // 0 when there is no initrd
    uint64_t initrd_bytes;
    uint64_t command_line_bytes; // NUL included
    E820Entry e820[MaxE820Entries];
    unsigned e820_count;
    // The VCPU's state at entry: long mode, paging on, RSI = boot_params.
    uint64_t entry_rip;
    uint64_t entry_rsi;
    uint64_t entry_cr3;
};

// Checks everything; touches no guest memory. Errors: seL4_InvalidArgument (bad kernel image,
// command line longer than the kernel accepts), seL4_NotEnoughMemory (RAM outside MinRam..MaxRam,
// kernel or initrd does not fit).
libos::Result<LinuxBootPlan> plan_linux_boot(const LinuxBootFiles& files, uint64_t ram_bytes);

// Writes the plan into `ram` (which must be plan.ram_bytes long: the caller made the plan for
// it). Zeroes the low pages it uses; copies kernel, initrd and command line.
void write_linux_boot(const LinuxBootPlan& plan, const LinuxBootFiles& files, GuestRam ram);

} // namespace tessera::services::vmm
