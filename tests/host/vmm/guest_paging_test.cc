// Guest page walks: 4 KiB, 2 MiB and 1 GiB pages at Linux's kernel addresses, the refusals
// (not present, outside RAM, non-canonical, other modes, reserved bits), and reads that cross
// into a differently mapped page or stop at an unmapped one.
#include "guest_paging.h"

#include <gtest/gtest.h>

#include <string.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t LongMode = 1ull << 10, Paging = 1ull << 31, Pae = 1ull << 5;
constexpr uint64_t P = 1, W = 2, Large = 0x80;
constexpr uint64_t KernelText = 0xffffffff81000000ull; // Linux's __START_KERNEL_map + 16 MiB

struct PagingFixture : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(8 << 20, 0);
    uint64_t next_table = 0x10000;
    uint64_t pml4 = allocate();
    GuestPagingState state{Paging | 1, pml4, Pae, LongMode | (1ull << 8)};

    uint64_t allocate()
    {
        uint64_t table = next_table;
        next_table += 4096;
        return table;
    }
    GuestRam guest() { return GuestRam{ram.data(), ram.size()}; }
    void set(uint64_t table, uint64_t index, uint64_t entry)
    {
        memcpy(&ram[table + index * 8], &entry, 8);
    }
    uint64_t get(uint64_t table, uint64_t index)
    {
        uint64_t entry;
        memcpy(&entry, &ram[table + index * 8], 8);
        return entry;
    }
    // Ensures tables down to `level` (3: PDPT, 2: PD, 1: PT) for `va`; returns that table.
    uint64_t table_for(uint64_t va, int level)
    {
        uint64_t table = pml4;
        for (int current = 4; current > level; --current) {
            uint64_t index = (va >> (12 + 9 * (current - 1))) & 511;
            if ((get(table, index) & P) == 0)
                set(table, index, allocate() | P | W);
            table = get(table, index) & ~0xfffull;
        }
        return table;
    }
    void map_4k(uint64_t va, uint64_t pa) { set(table_for(va, 1), (va >> 12) & 511, pa | P | W); }
    void map_2m(uint64_t va, uint64_t pa)
    {
        set(table_for(va, 2), (va >> 21) & 511, pa | P | W | Large);
    }
    void map_1g(uint64_t va, uint64_t pa)
    {
        set(table_for(va, 3), (va >> 30) & 511, pa | P | W | Large);
    }
    libos::Result<uint64_t> translate(uint64_t va)
    {
        return translate_guest_virtual(state, guest(), va);
    }
};

TEST_F(PagingFixture, TranslatesPagesOfEverySize)
{
    map_4k(0x400000, 0x200000);
    map_2m(KernelText, 0x400000);
    map_1g(0xffff888000000000ull, 0); // Linux's direct map
    EXPECT_EQ(translate(0x400123).value(), 0x200123u);
    EXPECT_EQ(translate(KernelText + 0x1234).value(), 0x401234u);
    EXPECT_EQ(translate(0xffff888000654321ull).value(), 0x654321u);
}

TEST_F(PagingFixture, IsTheIdentityWithPagingOff)
{
    state.cr0 = 1;
    EXPECT_EQ(translate(0x12345678).value(), 0x12345678u);
}

TEST_F(PagingFixture, RefusesUnmappedNonCanonicalAndOutOfRamWalks)
{
    map_4k(0x400000, 0x200000);
    EXPECT_FALSE(translate(0x401000));              // PT entry not present
    EXPECT_FALSE(translate(0x7fffffffffffull + 1)); // non-canonical
    state.cr3 = 16ull << 20;                        // PML4 beyond the 8 MiB of RAM
    auto outside = translate(0x400000);
    ASSERT_FALSE(outside);
    EXPECT_NE(std::string(outside.error().what).find("outside guest RAM"), std::string::npos);
}

TEST_F(PagingFixture, RefusesModesOtherThanFourLevelLongMode)
{
    map_4k(0x400000, 0x200000);
    state.efer = 0; // 32-bit paging
    EXPECT_FALSE(translate(0x400000));
    state.efer = LongMode;
    state.cr4 = Pae | (1ull << 12); // LA57
    EXPECT_FALSE(translate(0x400000));
}

TEST_F(PagingFixture, RefusesReservedBitsInALargePage)
{
    set(table_for(KernelText, 2), (KernelText >> 21) & 511, 0x402000 | P | Large);
    EXPECT_FALSE(translate(KernelText));
    // Bit 12 is PAT in a large-page entry, not reserved.
    set(table_for(KernelText, 2), (KernelText >> 21) & 511, 0x400000 | (1ull << 12) | P | Large);
    EXPECT_EQ(translate(KernelText).value(), 0x400000u);
}

TEST_F(PagingFixture, ReadsAcrossPagesMappedApart)
{
    map_4k(0x400000, 0x300000);
    map_4k(0x401000, 0x100000);
    ram[0x300ffe] = 0x48;
    ram[0x300fff] = 0x8b;
    ram[0x100000] = 0x07;
    uint8_t bytes[3] = {};
    EXPECT_EQ(read_guest_virtual(state, guest(), 0x400ffe, bytes, 3), 3u);
    EXPECT_EQ(bytes[0], 0x48);
    EXPECT_EQ(bytes[1], 0x8b);
    EXPECT_EQ(bytes[2], 0x07);
}

TEST_F(PagingFixture, StopsReadingAtTheFirstUnmappedByte)
{
    map_4k(0x400000, 0x300000);
    uint8_t bytes[15] = {};
    EXPECT_EQ(read_guest_virtual(state, guest(), 0x400ff8, bytes, sizeof bytes), 8u);
    map_4k(0x401000, 0x7ff000); // the last page of RAM
    EXPECT_EQ(read_guest_virtual(state, guest(), 0x400ff8, bytes, sizeof bytes), 15u);
}

} // namespace
} // namespace tessera::services::vmm
