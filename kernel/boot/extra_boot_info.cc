// seL4's x86 extra BootInfo chunks, laid out as seL4's init_sys_state writes them: the same
// order, the same lengths (the memory-map chunk always has room for 50 entries, the TSC chunk
// holds 32 bits of MHz) and a padding chunk up to the end of the region.
#include "boot/extra_boot_info.h"

namespace tessera::boot {
namespace {

constexpr size_t HeaderBytes = sizeof(seL4_BootInfoHeader);
constexpr size_t RsdpBytes = 36, RsdpV1Bytes = 20, RsdpRevisionByte = 15;
constexpr size_t TscBytes = sizeof(uint32_t);
constexpr size_t RegionAlignment = 4096;

bool has_vbe(const ExtraBootInfoSources& s) { return s.vbe_control != nullptr && s.vbe_mode_info != nullptr; }
bool has_framebuffer(const ExtraBootInfoSources& s) { return s.framebuffer != nullptr && s.framebuffer->addr != 0; }

class ChunkWriter {
public:
    explicit ChunkWriter(uint8_t* out) : out_(out) {}

    void header(seL4_Word id, size_t length)
    {
        const seL4_BootInfoHeader h{id, length};
        bytes(&h, sizeof(h));
    }
    void bytes(const void* data, size_t count)
    {
        __builtin_memcpy(out_ + used_, data, count);
        used_ += count;
    }
    void zeros(size_t count)
    {
        __builtin_memset(out_ + used_, 0, count);
        used_ += count;
    }
    size_t used() const { return used_; }

private:
    uint8_t* out_;
    size_t used_ = 0;
};

void write_memory_map(const ExtraBootInfoSources& s, ChunkWriter& w)
{
    seL4_X86_BootInfo_mmap_t chunk{};
    chunk.header = {SEL4_BOOTINFO_HEADER_X86_MBMMAP, sizeof(chunk)};
    // seL4 copies the loader's bytes as they are, cut to 50 entries' worth.
    const uint32_t limit = uint32_t(sizeof(chunk.mmap));
    chunk.mmap_length = s.memory_map == nullptr ? 0 : s.memory_map_length < limit ? s.memory_map_length : limit;
    if (chunk.mmap_length != 0)
        __builtin_memcpy(chunk.mmap, s.memory_map, chunk.mmap_length);
    w.bytes(&chunk, sizeof(chunk));
}

} // namespace

size_t extra_boot_info_length(const ExtraBootInfoSources& s)
{
    size_t length = HeaderBytes; // the closing padding chunk
    if (has_vbe(s))
        length += sizeof(seL4_X86_BootInfo_VBE);
    if (s.rsdp != nullptr)
        length += HeaderBytes + RsdpBytes;
    if (has_framebuffer(s))
        length += HeaderBytes + sizeof(seL4_X86_BootInfo_fb_t);
    length += sizeof(seL4_X86_BootInfo_mmap_t);
    length += HeaderBytes + TscBytes;
    return length;
}

size_t build_extra_boot_info(const ExtraBootInfoSources& s, uint8_t* out, size_t capacity)
{
    const size_t length = extra_boot_info_length(s);
    if (capacity == 0 || capacity % RegionAlignment != 0 || length > capacity)
        return 0;
    ChunkWriter w(out);
    if (has_vbe(s)) {
        seL4_X86_BootInfo_VBE vbe{};
        vbe.header = {SEL4_BOOTINFO_HEADER_X86_VBE, sizeof(vbe)};
        vbe.vbeInfoBlock = *s.vbe_control;
        vbe.vbeModeInfoBlock = *s.vbe_mode_info;
        vbe.vbeMode = s.vbe_mode;
        vbe.vbeInterfaceSeg = s.vbe_interface_seg;
        vbe.vbeInterfaceOff = s.vbe_interface_off;
        vbe.vbeInterfaceLen = s.vbe_interface_len;
        w.bytes(&vbe, sizeof(vbe));
    }
    if (s.rsdp != nullptr) {
        // A revision 0 RSDP is 20 bytes; the rest of seL4's 36-byte structure stays zero.
        const size_t copied = s.rsdp[RsdpRevisionByte] >= 2 ? RsdpBytes : RsdpV1Bytes;
        w.header(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, HeaderBytes + RsdpBytes);
        w.bytes(s.rsdp, copied);
        w.zeros(RsdpBytes - copied);
    }
    if (has_framebuffer(s)) {
        w.header(SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, HeaderBytes + sizeof(seL4_X86_BootInfo_fb_t));
        w.bytes(s.framebuffer, sizeof(seL4_X86_BootInfo_fb_t));
    }
    write_memory_map(s, w);
    w.header(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, HeaderBytes + TscBytes);
    w.bytes(&s.tsc_mhz, TscBytes);
    const size_t padding = capacity - w.used();
    w.header(SEL4_BOOTINFO_HEADER_PADDING, padding);
    w.zeros(padding - HeaderBytes);
    return length;
}

void add_multiboot_video(const MultibootInfo& info, const core::MemoryWindow& window, ExtraBootInfoSources& s,
                         seL4_X86_BootInfo_fb_t& framebuffer_storage)
{
    if (info.vbe.present) {
        s.vbe_control = window.at<const seL4_VBEInfoBlock_t>(info.vbe.control_info);
        s.vbe_mode_info = window.at<const seL4_VBEModeInfoBlock_t>(info.vbe.mode_info);
        s.vbe_mode = info.vbe.mode;
        s.vbe_interface_seg = info.vbe.interface_seg;
        s.vbe_interface_off = info.vbe.interface_off;
        s.vbe_interface_len = info.vbe.interface_len;
    }
    if (info.framebuffer.present) {
        framebuffer_storage = {info.framebuffer.address.raw(), info.framebuffer.pitch,    info.framebuffer.width,
                               info.framebuffer.height,        info.framebuffer.bits_per_pixel, info.framebuffer.type};
        s.framebuffer = &framebuffer_storage;
    }
}

} // namespace tessera::boot
