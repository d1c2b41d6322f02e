// Multiboot 1 information parsing (Multiboot Specification 0.6.96, section 3.3).
#include "boot/multiboot.h"

#include <cstddef>

namespace tessera::boot {
namespace {

// Field offsets of the Multiboot information structure and the bits of `flags` that say which
// fields are valid.
struct [[gnu::packed]] RawInfo {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
    uint32_t apm_table, vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch, framebuffer_width, framebuffer_height;
    uint8_t framebuffer_bpp, framebuffer_type;
    uint8_t color_info[6];
};
static_assert(sizeof(RawInfo) == 116);
static_assert(offsetof(RawInfo, mmap_length) == 44);
static_assert(offsetof(RawInfo, framebuffer_addr) == 88);

constexpr uint32_t FlagCommandLine = 1u << 2;
constexpr uint32_t FlagModules = 1u << 3;
constexpr uint32_t FlagMemoryMap = 1u << 6;
constexpr uint32_t FlagVbe = 1u << 11;
constexpr uint32_t FlagFramebuffer = 1u << 12;
constexpr Word VbeControlInfoBytes = 512, VbeModeInfoBytes = 256; // VBE 3.0 functions 00h and 01h

struct [[gnu::packed]] RawMemoryEntry {
    uint32_t size; // of the rest of the entry, not counting this field
    uint64_t base;
    uint64_t length;
    uint32_t type;
};
static_assert(sizeof(RawMemoryEntry) == 24);

struct RawModule {
    uint32_t start, end, string, reserved;
};
static_assert(sizeof(RawModule) == 16);

Word string_length(const char* s)
{
    Word n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

void add_loader_range(MultibootInfo& out, PAddr start, Word length)
{
    if (length != 0 && out.loader_range_count < MultibootInfo::MaxLoaderRanges)
        out.loader_ranges[out.loader_range_count++] = {start, start + length};
}

const char* read_string(uint32_t address, const core::MemoryWindow& window, MultibootInfo& out)
{
    if (address == 0)
        return "";
    const char* s = window.at<const char>(PAddr{address});
    add_loader_range(out, PAddr{address}, string_length(s) + 1);
    return s;
}

} // namespace

const char* describe(MultibootError error)
{
    switch (error) {
    case MultibootError::None: return "no error";
    case MultibootError::BadMagic: return "not started by a Multiboot 1 loader (bad magic in EAX)";
    case MultibootError::NoMemoryMap: return "the loader gave no memory map";
    case MultibootError::MalformedMemoryMap: return "the loader's memory map is malformed";
    case MultibootError::TooManyMemoryEntries: return "the memory map has more entries than the kernel keeps";
    case MultibootError::TooManyModules: return "more boot modules than the kernel accepts";
    case MultibootError::MalformedModule: return "a boot module ends before it starts";
    }
    return "unknown error";
}

MultibootError read_multiboot(uint32_t magic, PAddr info, const core::MemoryWindow& window, MultibootInfo& out)
{
    out = MultibootInfo{};
    out.command_line = "";
    if (magic != MultibootLoaderMagic)
        return MultibootError::BadMagic;

    const RawInfo& raw = *window.at<const RawInfo>(info);
    add_loader_range(out, info, sizeof(RawInfo));

    if (raw.flags & FlagCommandLine)
        out.command_line = read_string(raw.cmdline, window, out);

    if (!(raw.flags & FlagMemoryMap) || raw.mmap_length == 0)
        return MultibootError::NoMemoryMap;
    out.raw_memory_map = PAddr{raw.mmap_addr};
    out.raw_memory_map_length = raw.mmap_length;
    add_loader_range(out, PAddr{raw.mmap_addr}, raw.mmap_length);
    for (Word offset = 0; offset < raw.mmap_length;) {
        if (raw.mmap_length - offset < sizeof(RawMemoryEntry))
            return MultibootError::MalformedMemoryMap;
        const RawMemoryEntry& e = *window.at<const RawMemoryEntry>(PAddr{raw.mmap_addr + offset});
        if (e.size < sizeof(RawMemoryEntry) - sizeof(uint32_t))
            return MultibootError::MalformedMemoryMap;
        if (out.memory_count == MultibootInfo::MaxMemoryEntries)
            return MultibootError::TooManyMemoryEntries;
        out.memory[out.memory_count++] = {PAddr{e.base}, e.length, e.type};
        offset += Word{e.size} + sizeof(uint32_t);
    }

    if ((raw.flags & FlagModules) && raw.mods_count != 0) {
        if (raw.mods_count > MultibootInfo::MaxModules)
            return MultibootError::TooManyModules;
        add_loader_range(out, PAddr{raw.mods_addr}, Word{raw.mods_count} * sizeof(RawModule));
        const RawModule* modules = window.at<const RawModule>(PAddr{raw.mods_addr});
        for (uint32_t i = 0; i < raw.mods_count; i++) {
            if (modules[i].end < modules[i].start)
                return MultibootError::MalformedModule;
            out.modules[i] = {{PAddr{modules[i].start}, PAddr{modules[i].end}},
                              read_string(modules[i].string, window, out)};
        }
        out.module_count = raw.mods_count;
    }

    if (raw.flags & FlagVbe) {
        out.vbe = {true,
                   PAddr{raw.vbe_control_info},
                   PAddr{raw.vbe_mode_info},
                   raw.vbe_mode,
                   raw.vbe_interface_seg,
                   raw.vbe_interface_off,
                   raw.vbe_interface_len};
        add_loader_range(out, PAddr{raw.vbe_control_info}, VbeControlInfoBytes);
        add_loader_range(out, PAddr{raw.vbe_mode_info}, VbeModeInfoBytes);
    }
    if (raw.flags & FlagFramebuffer) {
        out.framebuffer = {true,
                           PAddr{raw.framebuffer_addr},
                           raw.framebuffer_pitch,
                           raw.framebuffer_width,
                           raw.framebuffer_height,
                           raw.framebuffer_bpp,
                           raw.framebuffer_type};
    }
    return MultibootError::None;
}

} // namespace tessera::boot
