// seL4's x86 extra BootInfo chunks built from boot's findings: order, lengths, contents, padding,
// and the VBE/framebuffer sources read from Multiboot 1 information.
#include "boot/extra_boot_info.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace tessera::boot;

namespace {

constexpr size_t Page = 4096;

struct Chunk {
    seL4_Word id;
    size_t offset; // of the header
    size_t length;
};

// Walks the chunk list as a root task does; fails the test on a malformed list.
std::vector<Chunk> walk(const std::vector<uint8_t>& region)
{
    std::vector<Chunk> chunks;
    for (size_t offset = 0; offset < region.size();) {
        seL4_BootInfoHeader h;
        std::memcpy(&h, &region[offset], sizeof(h));
        EXPECT_GE(h.len, sizeof(h));
        EXPECT_LE(offset + h.len, region.size());
        if (h.len < sizeof(h) || offset + h.len > region.size())
            break;
        chunks.push_back({h.id, offset, h.len});
        offset += h.len;
    }
    return chunks;
}

std::vector<uint8_t> memory_map_bytes(unsigned entries)
{
    std::vector<uint8_t> bytes;
    for (unsigned i = 0; i < entries; i++) {
        seL4_X86_mb_mmap_t e{20, 0x100000ull * i, 0x1000, 1};
        const auto* p = reinterpret_cast<const uint8_t*>(&e);
        bytes.insert(bytes.end(), p, p + sizeof(e));
    }
    return bytes;
}

struct Sources {
    seL4_VBEInfoBlock_t control{};
    seL4_VBEModeInfoBlock_t mode{};
    seL4_X86_BootInfo_fb_t framebuffer{0xfd000000, 4096, 1024, 768, 32, 1};
    uint8_t rsdp[36] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    std::vector<uint8_t> mmap = memory_map_bytes(3);
    ExtraBootInfoSources minimal() const
    {
        ExtraBootInfoSources s;
        s.memory_map = mmap.data();
        s.memory_map_length = uint32_t(mmap.size());
        s.tsc_mhz = 2300;
        return s;
    }
    ExtraBootInfoSources all()
    {
        ExtraBootInfoSources s = minimal();
        std::memcpy(control.signature, "VESA", 4);
        control.version = 0x300;
        mode.vbe12_part1.xRes = 1024;
        mode.vbe20.physBasePtr = 0xfd000000;
        s.vbe_control = &control;
        s.vbe_mode_info = &mode;
        s.vbe_mode = 0x4118;
        s.vbe_interface_seg = 0xc000;
        s.vbe_interface_off = 0x1234;
        s.vbe_interface_len = 0x56;
        rsdp[15] = 2;
        s.rsdp = rsdp;
        s.framebuffer = &framebuffer;
        return s;
    }
};

} // namespace

TEST(ExtraBootInfo, MinimalHasMemoryMapTscAndPaddingInSeL4Order)
{
    Sources src;
    std::vector<uint8_t> region(Page, 0xee);
    const size_t length = build_extra_boot_info(src.minimal(), region.data(), region.size());
    // seL4: the full 50-entry memory-map chunk, a 20-byte TSC chunk, one closing header.
    EXPECT_EQ(length, sizeof(seL4_X86_BootInfo_mmap_t) + 20 + 16);
    const auto chunks = walk(region);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0].id, SEL4_BOOTINFO_HEADER_X86_MBMMAP);
    EXPECT_EQ(chunks[0].length, sizeof(seL4_X86_BootInfo_mmap_t));
    EXPECT_EQ(chunks[1].id, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    EXPECT_EQ(chunks[1].length, 20u);
    uint32_t mhz;
    std::memcpy(&mhz, &region[chunks[1].offset + 16], sizeof(mhz));
    EXPECT_EQ(mhz, 2300u);
    EXPECT_EQ(chunks[2].id, SEL4_BOOTINFO_HEADER_PADDING);
    EXPECT_EQ(chunks[2].offset + chunks[2].length, Page);
}

TEST(ExtraBootInfo, MemoryMapChunkCopiesTheLoaderBytesAndTheirLength)
{
    Sources src;
    std::vector<uint8_t> region(Page);
    ASSERT_NE(build_extra_boot_info(src.minimal(), region.data(), region.size()), 0u);
    seL4_X86_BootInfo_mmap_t chunk;
    std::memcpy(&chunk, region.data(), sizeof(chunk));
    EXPECT_EQ(chunk.mmap_length, 3u * 24);
    EXPECT_EQ(chunk.mmap[2].base_addr, 0x200000u);
    EXPECT_EQ(chunk.mmap[2].type, 1u);
    EXPECT_EQ(chunk.mmap[3].size, 0u); // unused entries are zero
}

TEST(ExtraBootInfo, MemoryMapIsCutToFiftyEntries)
{
    Sources src;
    src.mmap = memory_map_bytes(60);
    std::vector<uint8_t> region(Page);
    ASSERT_NE(build_extra_boot_info(src.minimal(), region.data(), region.size()), 0u);
    seL4_X86_BootInfo_mmap_t chunk;
    std::memcpy(&chunk, region.data(), sizeof(chunk));
    EXPECT_EQ(chunk.mmap_length, 50u * 24);
    EXPECT_EQ(chunk.mmap[49].base_addr, 49 * 0x100000ull);
}

TEST(ExtraBootInfo, AllChunksInSeL4OrderWithTheirContents)
{
    Sources src;
    const ExtraBootInfoSources s = src.all();
    std::vector<uint8_t> region(Page);
    const size_t length = build_extra_boot_info(s, region.data(), region.size());
    EXPECT_EQ(length, extra_boot_info_length(s));
    EXPECT_EQ(length, sizeof(seL4_X86_BootInfo_VBE) + (16 + 36) + (16 + 22) + sizeof(seL4_X86_BootInfo_mmap_t) + 20 + 16);
    const auto chunks = walk(region);
    ASSERT_EQ(chunks.size(), 6u);
    const seL4_Word order[] = {SEL4_BOOTINFO_HEADER_X86_VBE,     SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP,
                               SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, SEL4_BOOTINFO_HEADER_X86_MBMMAP,
                               SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, SEL4_BOOTINFO_HEADER_PADDING};
    for (size_t i = 0; i < 6; i++)
        EXPECT_EQ(chunks[i].id, order[i]) << "chunk " << i;

    seL4_X86_BootInfo_VBE vbe;
    std::memcpy(&vbe, &region[chunks[0].offset], sizeof(vbe));
    EXPECT_EQ(vbe.header.len, 800u);
    EXPECT_EQ(std::memcmp(vbe.vbeInfoBlock.signature, "VESA", 4), 0);
    EXPECT_EQ(vbe.vbeInfoBlock.version, 0x300);
    EXPECT_EQ(vbe.vbeModeInfoBlock.vbe12_part1.xRes, 1024);
    EXPECT_EQ(vbe.vbeModeInfoBlock.vbe20.physBasePtr, 0xfd000000u);
    EXPECT_EQ(vbe.vbeMode, 0x4118u);
    EXPECT_EQ(vbe.vbeInterfaceSeg, 0xc000u);
    EXPECT_EQ(vbe.vbeInterfaceOff, 0x1234u);
    EXPECT_EQ(vbe.vbeInterfaceLen, 0x56u);

    EXPECT_EQ(chunks[1].length, 52u);
    EXPECT_EQ(std::memcmp(&region[chunks[1].offset + 16], "RSD PTR ", 8), 0);

    seL4_X86_BootInfo_fb_t fb;
    EXPECT_EQ(chunks[2].length, 38u);
    std::memcpy(&fb, &region[chunks[2].offset + 16], sizeof(fb));
    EXPECT_EQ(fb.addr, 0xfd000000u);
    EXPECT_EQ(fb.pitch, 4096u);
    EXPECT_EQ(fb.width, 1024u);
    EXPECT_EQ(fb.height, 768u);
    EXPECT_EQ(fb.bpp, 32);
    EXPECT_EQ(fb.type, 1);
}

TEST(ExtraBootInfo, RevisionZeroRsdpKeepsTwentyBytesAndZeroes)
{
    Sources src;
    ExtraBootInfoSources s = src.minimal();
    std::memset(src.rsdp + 20, 0xab, 16); // bytes a revision 0 RSDP does not have
    src.rsdp[15] = 0;
    s.rsdp = src.rsdp;
    std::vector<uint8_t> region(Page, 0xee);
    ASSERT_NE(build_extra_boot_info(s, region.data(), region.size()), 0u);
    const auto chunks = walk(region);
    ASSERT_EQ(chunks[0].id, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    EXPECT_EQ(chunks[0].length, 52u);
    for (size_t i = 20; i < 36; i++)
        EXPECT_EQ(region[16 + i], 0) << "byte " << i;
}

TEST(ExtraBootInfo, FramebufferAtAddressZeroIsLeftOutAsSeL4Does)
{
    Sources src;
    ExtraBootInfoSources s = src.minimal();
    src.framebuffer.addr = 0;
    s.framebuffer = &src.framebuffer;
    std::vector<uint8_t> region(Page);
    EXPECT_EQ(build_extra_boot_info(s, region.data(), region.size()), extra_boot_info_length(src.minimal()));
    for (const Chunk& c : walk(region))
        EXPECT_NE(c.id, SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER);
}

TEST(ExtraBootInfo, RefusesARegionTooSmallOrNotWholePages)
{
    Sources src;
    std::vector<uint8_t> region(2 * Page, 0x5a);
    EXPECT_EQ(build_extra_boot_info(src.all(), region.data(), 1024), 0u);
    EXPECT_EQ(build_extra_boot_info(src.all(), region.data(), Page + 8), 0u);
    EXPECT_EQ(build_extra_boot_info(src.all(), region.data(), 0), 0u);
    EXPECT_EQ(region[0], 0x5a); // nothing written
    EXPECT_NE(build_extra_boot_info(src.all(), region.data(), 2 * Page), 0u);
    EXPECT_EQ(walk(region).back().offset + walk(region).back().length, 2 * Page);
}

TEST(ExtraBootInfo, MultibootVbeAndFramebufferBecomeSources)
{
    std::vector<uint8_t> memory(0x2000, 0);
    const tessera::core::MemoryWindow window{reinterpret_cast<uintptr_t>(memory.data())};
    std::memcpy(&memory[0x1000], "VESA", 4);
    memory[0x1400] = 0x9b; // first byte of the mode block
    MultibootInfo info{};
    info.vbe = {true, PAddr{0x1000}, PAddr{0x1400}, 0x117, 1, 2, 3};
    info.framebuffer = {true, PAddr{0xe0000000}, 2048, 800, 600, 16, 1};
    ExtraBootInfoSources s;
    seL4_X86_BootInfo_fb_t storage{};
    add_multiboot_video(info, window, s, storage);
    ASSERT_NE(s.vbe_control, nullptr);
    EXPECT_EQ(std::memcmp(s.vbe_control->signature, "VESA", 4), 0);
    EXPECT_EQ(reinterpret_cast<const uint8_t*>(s.vbe_mode_info)[0], 0x9b);
    EXPECT_EQ(s.vbe_mode, 0x117);
    EXPECT_EQ(s.vbe_interface_len, 3);
    ASSERT_EQ(s.framebuffer, &storage);
    EXPECT_EQ(storage.addr, 0xe0000000u);
    EXPECT_EQ(storage.pitch, 2048u);
    EXPECT_EQ(storage.bpp, 16);

    ExtraBootInfoSources none;
    add_multiboot_video(MultibootInfo{}, window, none, storage);
    EXPECT_EQ(none.vbe_control, nullptr);
    EXPECT_EQ(none.framebuffer, nullptr);
}
