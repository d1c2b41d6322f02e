#include "boot/multiboot.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace tessera::boot;

namespace {

// A fake physical memory: the loader's structures at small "physical" addresses in a buffer.
struct FakeLoader {
    std::vector<uint8_t> memory = std::vector<uint8_t>(0x10000, 0);
    tessera::core::MemoryWindow window() const
    {
        return tessera::core::MemoryWindow{reinterpret_cast<uintptr_t>(memory.data())};
    }

    template <class T> void put(uint32_t at, const T& value) { std::memcpy(&memory[at], &value, sizeof(T)); }
    void put_string(uint32_t at, const char* s) { std::memcpy(&memory[at], s, std::strlen(s) + 1); }

    static constexpr uint32_t Info = 0x100, MemoryMap = 0x400, Modules = 0x800, Strings = 0x900;

    void build(uint32_t flags, unsigned modules)
    {
        put<uint32_t>(Info + 0, flags);
        put<uint32_t>(Info + 16, Strings); // cmdline
        put_string(Strings, "kernel exit_on_idle");
        put<uint32_t>(Info + 20, modules);
        put<uint32_t>(Info + 24, Modules);
        for (unsigned i = 0; i < modules; i++) {
            put<uint32_t>(Modules + 16 * i, 0x200000 + 0x10000 * i);
            put<uint32_t>(Modules + 16 * i + 4, 0x200000 + 0x10000 * i + 0x1234);
            put<uint32_t>(Modules + 16 * i + 8, Strings + 0x40);
        }
        put_string(Strings + 0x40, "roottask.elf");
        // Two memory map entries, the second with a larger `size` field than needed.
        struct [[gnu::packed]] Entry {
            uint32_t size;
            uint64_t base, length;
            uint32_t type;
        };
        put(MemoryMap, Entry{20, 0x0, 0x9fc00, 1});
        put(MemoryMap + 24, Entry{24, 0x100000, 0x1ff00000, 1});
        put<uint32_t>(Info + 44, 24 + 28);
        put<uint32_t>(Info + 48, MemoryMap);
    }
};

constexpr uint32_t FlagCmdline = 1 << 2, FlagModules = 1 << 3, FlagMemoryMap = 1 << 6;

} // namespace

TEST(Multiboot, ReadsMemoryMapModulesAndCommandLine)
{
    FakeLoader loader;
    loader.build(FlagCmdline | FlagModules | FlagMemoryMap, 2);
    MultibootInfo info;
    ASSERT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::None);
    EXPECT_STREQ(info.command_line, "kernel exit_on_idle");
    ASSERT_EQ(info.memory_count, 2u);
    EXPECT_EQ(info.memory[1].start.raw(), 0x100000u);
    EXPECT_EQ(info.memory[1].length, 0x1ff00000u);
    ASSERT_EQ(info.module_count, 2u);
    EXPECT_EQ(info.modules[1].range.start.raw(), 0x210000u);
    EXPECT_EQ(info.modules[1].range.size(), 0x1234u);
    EXPECT_STREQ(info.modules[0].command_line, "roottask.elf");
    // The info block, memory map, module list and strings are all reported as the loader's.
    EXPECT_GE(info.loader_range_count, 4u);
}

TEST(Multiboot, RejectsBadMagic)
{
    FakeLoader loader;
    loader.build(FlagMemoryMap, 0);
    MultibootInfo info;
    EXPECT_EQ(read_multiboot(0x12345678, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::BadMagic);
}

TEST(Multiboot, RequiresAMemoryMap)
{
    FakeLoader loader;
    loader.build(FlagModules, 1);
    MultibootInfo info;
    EXPECT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::NoMemoryMap);
}

TEST(Multiboot, RejectsAMemoryMapWithATruncatedEntry)
{
    FakeLoader loader;
    loader.build(FlagMemoryMap, 0);
    loader.put<uint32_t>(FakeLoader::Info + 44, 24 + 10);
    MultibootInfo info;
    EXPECT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::MalformedMemoryMap);
}

TEST(Multiboot, RejectsTooManyModulesAndBackwardsModules)
{
    FakeLoader loader;
    loader.build(FlagModules | FlagMemoryMap, 1);
    loader.put<uint32_t>(FakeLoader::Info + 20, MultibootInfo::MaxModules + 1);
    MultibootInfo info;
    EXPECT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::TooManyModules);
    loader.put<uint32_t>(FakeLoader::Info + 20, 1);
    loader.put<uint32_t>(FakeLoader::Modules + 4, 0x100);
    EXPECT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info),
              MultibootError::MalformedModule);
}

TEST(Multiboot, EveryErrorHasADescription)
{
    for (auto e : {MultibootError::BadMagic, MultibootError::NoMemoryMap, MultibootError::MalformedMemoryMap,
                   MultibootError::TooManyMemoryEntries, MultibootError::TooManyModules,
                   MultibootError::MalformedModule})
        EXPECT_STRNE(describe(e), "unknown error");
}

TEST(Multiboot, ReadsVbeInformationAndKeepsItsBlocksFromBeingHandedOut)
{
    FakeLoader loader;
    constexpr uint32_t FlagVbe = 1u << 11;
    loader.build(FlagMemoryMap | FlagVbe, 0);
    loader.put<uint32_t>(FakeLoader::Info + 72, 0x3000); // vbe_control_info
    loader.put<uint32_t>(FakeLoader::Info + 76, 0x3200); // vbe_mode_info
    loader.put<uint16_t>(FakeLoader::Info + 80, 0x4118); // vbe_mode
    loader.put<uint16_t>(FakeLoader::Info + 82, 0xc000);
    loader.put<uint16_t>(FakeLoader::Info + 84, 0x10);
    loader.put<uint16_t>(FakeLoader::Info + 86, 0x20);
    MultibootInfo info;
    ASSERT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info), MultibootError::None);
    ASSERT_TRUE(info.vbe.present);
    EXPECT_EQ(info.vbe.control_info, PAddr{0x3000});
    EXPECT_EQ(info.vbe.mode_info, PAddr{0x3200});
    EXPECT_EQ(info.vbe.mode, 0x4118);
    EXPECT_EQ(info.vbe.interface_seg, 0xc000);
    EXPECT_EQ(info.vbe.interface_off, 0x10);
    EXPECT_EQ(info.vbe.interface_len, 0x20);
    bool control_kept = false, mode_kept = false;
    for (unsigned i = 0; i < info.loader_range_count; i++) {
        control_kept |= info.loader_ranges[i].start == PAddr{0x3000} && info.loader_ranges[i].size() == 512;
        mode_kept |= info.loader_ranges[i].start == PAddr{0x3200} && info.loader_ranges[i].size() == 256;
    }
    EXPECT_TRUE(control_kept);
    EXPECT_TRUE(mode_kept);
}

TEST(Multiboot, NoVbeWithoutFlagBit11)
{
    FakeLoader loader;
    loader.build(FlagMemoryMap, 0);
    loader.put<uint32_t>(FakeLoader::Info + 72, 0x3000);
    MultibootInfo info;
    ASSERT_EQ(read_multiboot(MultibootLoaderMagic, PAddr{FakeLoader::Info}, loader.window(), info), MultibootError::None);
    EXPECT_FALSE(info.vbe.present);
}
