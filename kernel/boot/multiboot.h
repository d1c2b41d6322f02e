// The Multiboot 1 information a loader (QEMU's -kernel, GRUB) hands the kernel, read into a
// fixed-size summary. Layouts: Multiboot Specification 0.6.96, section 3.3.
#pragma once

#include <cstdint>

#include "boot/physical_window.h"

namespace tessera::boot {

inline constexpr uint32_t MultibootLoaderMagic = 0x2BADB002;

// Memory map entry types (Multiboot 0.6.96, 3.3; same numbering as the ACPI E820 types).
enum class MemoryType : uint32_t { Usable = 1, Reserved = 2, AcpiReclaimable = 3, AcpiNvs = 4, Bad = 5 };

struct MemoryMapEntry {
    PAddr start;
    Word length;
    uint32_t type; // MemoryType, kept raw: unknown types are reserved memory
};

struct BootModule {
    PhysicalRange range;
    const char* command_line; // through the window; never null ("" when absent)
};

struct Framebuffer {
    bool present;
    PAddr address;
    uint32_t pitch, width, height;
    uint8_t bits_per_pixel, type;
};

// VESA BIOS Extensions information (Multiboot 1 flags bit 11): where the loader put the VBE
// controller and mode information blocks, and the mode it set.
struct VbeInfo {
    bool present;
    PAddr control_info, mode_info;
    uint16_t mode, interface_seg, interface_off, interface_len;
};

struct MultibootInfo {
    static constexpr unsigned MaxMemoryEntries = 64;
    static constexpr unsigned MaxModules = 16;
    static constexpr unsigned MaxLoaderRanges = 6 + MaxModules;

    MemoryMapEntry memory[MaxMemoryEntries];
    unsigned memory_count;
    BootModule modules[MaxModules];
    unsigned module_count;
    const char* command_line;
    Framebuffer framebuffer;
    VbeInfo vbe;
    // Where the loader's own data lives (the info block, the memory map, the module list, the
    // strings): boot code must not hand these out before it is done reading them.
    PhysicalRange loader_ranges[MaxLoaderRanges];
    unsigned loader_range_count;
    // Raw copy of the memory map as the loader gave it, for seL4's x86 extra boot info.
    PAddr raw_memory_map;
    uint32_t raw_memory_map_length;
};

enum class MultibootError {
    None,
    BadMagic,
    NoMemoryMap,
    MalformedMemoryMap,
    TooManyMemoryEntries,
    TooManyModules,
    MalformedModule,
};

const char* describe(MultibootError error);

// Reads the information at `info` (physical) through `window` into `out`.
[[nodiscard]] MultibootError read_multiboot(uint32_t magic, PAddr info, const core::MemoryWindow& window,
                                            MultibootInfo& out);

} // namespace tessera::boot
