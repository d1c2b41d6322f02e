// seL4's x86 extra BootInfo (seL4 Reference Manual, "BootInfo"; libsel4 arch bootinfo_types.h):
// the chunks the kernel writes one page after the BootInfo frame, built from what boot found.
#pragma once

#include <tessera/abi/bootinfo.h>

#include <cstddef>
#include <cstdint>

#include "boot/multiboot.h"

namespace tessera::boot {

// Everything a chunk may be made from; a null pointer leaves its chunk out.
struct ExtraBootInfoSources {
    // VBE controller (512 bytes) and mode (256 bytes) information blocks and the mode and
    // protected-mode interface words of Multiboot 1 (flags bit 11).
    const seL4_VBEInfoBlock_t* vbe_control = nullptr;
    const seL4_VBEModeInfoBlock_t* vbe_mode_info = nullptr;
    uint16_t vbe_mode = 0, vbe_interface_seg = 0, vbe_interface_off = 0, vbe_interface_len = 0;
    // The ACPI RSDP as the firmware has it: 20 bytes for revision 0, 36 from revision 2.
    const uint8_t* rsdp = nullptr;
    // The framebuffer; seL4 leaves the chunk out when its address is 0.
    const seL4_X86_BootInfo_fb_t* framebuffer = nullptr;
    // The loader's memory map: packed Multiboot entries, `memory_map_length` bytes.
    const uint8_t* memory_map = nullptr;
    uint32_t memory_map_length = 0;
    uint32_t tsc_mhz = 0;
};

// The bytes seL4 reports as BootInfo.extraLen for these sources: every chunk plus the closing
// padding header.
size_t extra_boot_info_length(const ExtraBootInfoSources& sources);

// Writes the chunks in seL4's order (VBE, ACPI RSDP, framebuffer, memory map, TSC frequency)
// and a padding chunk that fills `out` to `capacity`, which must be a multiple of 4 KiB.
// Returns extraLen, or 0 (and writes nothing) when the chunks do not fit.
size_t build_extra_boot_info(const ExtraBootInfoSources& sources, uint8_t* out, size_t capacity);

// The VBE and framebuffer sources from parsed Multiboot information, read through `window`.
void add_multiboot_video(const MultibootInfo& info, const core::MemoryWindow& window, ExtraBootInfoSources& sources,
                         seL4_X86_BootInfo_fb_t& framebuffer_storage);

} // namespace tessera::boot
