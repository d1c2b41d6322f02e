#include "boot/elf_image.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

using namespace tessera::boot;

namespace {

constexpr UserRange User{VAddr{0}, VAddr{0x800000000000}};

struct Segment {
    uint32_t flags;
    uint64_t offset, vaddr, filesz, memsz;
};

// Builds an ELF64 x86_64 executable image in memory with the given loadable segments.
std::vector<uint8_t> make_elf(const std::vector<Segment>& segments, uint64_t entry, size_t size = 0x3000)
{
    std::vector<uint8_t> f(size, 0);
    const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(f.data(), ident, 16);
    auto put16 = [&](size_t at, uint16_t v) { std::memcpy(&f[at], &v, 2); };
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&f[at], &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(&f[at], &v, 8); };
    put16(16, 2);  // ET_EXEC
    put16(18, 62); // EM_X86_64
    put32(20, 1);
    put64(24, entry);
    put64(32, 64); // phoff
    put16(52, 64);
    put16(54, 56);
    put16(56, uint16_t(segments.size()));
    for (size_t i = 0; i < segments.size(); i++) {
        const size_t ph = 64 + i * 56;
        put32(ph, 1);
        put32(ph + 4, segments[i].flags);
        put64(ph + 8, segments[i].offset);
        put64(ph + 16, segments[i].vaddr);
        put64(ph + 24, segments[i].vaddr);
        put64(ph + 32, segments[i].filesz);
        put64(ph + 40, segments[i].memsz);
        put64(ph + 48, 0x1000);
    }
    return f;
}

constexpr uint32_t R = 4, W = 2, X = 1;

std::vector<uint8_t> good() { return make_elf({{R | X, 0x1000, 0x401000, 0x800, 0x800}, {R | W, 0x2000, 0x402000, 0x100, 0x3000}}, 0x401010); }

ElfError parse(const std::vector<uint8_t>& f, ElfImage& image) { return parse_elf_image(f.data(), f.size(), User, image); }

} // namespace

TEST(ElfImage, AcceptsAValidExecutableAndSortsSegments)
{
    auto f = make_elf({{R | W, 0x2000, 0x402000, 0x100, 0x3000}, {R | X, 0x1000, 0x401000, 0x800, 0x800}}, 0x401010);
    ElfImage image;
    ASSERT_EQ(parse(f, image), ElfError::None);
    ASSERT_EQ(image.segment_count, 2u);
    EXPECT_EQ(image.segments[0].vaddr.raw(), 0x401000u);
    EXPECT_TRUE(image.segments[0].executable);
    EXPECT_FALSE(image.segments[0].writable);
    EXPECT_TRUE(image.segments[1].writable);
    EXPECT_EQ(image.lowest.raw(), 0x401000u);
    EXPECT_EQ(image.highest.raw(), 0x405000u);
    EXPECT_EQ(image.entry.raw(), 0x401010u);
}

TEST(ElfImage, RejectsEachMalformedHeader)
{
    ElfImage image;
    auto f = good();
    EXPECT_EQ(parse_elf_image(f.data(), 40, User, image), ElfError::Truncated);
    f = good(); f[1] = 'X';
    EXPECT_EQ(parse(f, image), ElfError::NotElf);
    f = good(); f[4] = 1;
    EXPECT_EQ(parse(f, image), ElfError::NotElf64);
    f = good(); f[5] = 2;
    EXPECT_EQ(parse(f, image), ElfError::NotLittleEndian);
    f = good(); f[6] = 0;
    EXPECT_EQ(parse(f, image), ElfError::BadVersion);
    f = good(); f[16] = 3; // ET_DYN
    EXPECT_EQ(parse(f, image), ElfError::NotExecutable);
    f = good(); f[18] = 3; // EM_386
    EXPECT_EQ(parse(f, image), ElfError::WrongMachine);
    f = good(); f[54] = 32; // phentsize
    EXPECT_EQ(parse(f, image), ElfError::BadProgramHeaderTable);
    f = good(); f[56] = 0xff; f[57] = 0xff; // phnum beyond the file
    EXPECT_EQ(parse(f, image), ElfError::BadProgramHeaderTable);
}

TEST(ElfImage, RejectsBadSegments)
{
    ElfImage image;
    EXPECT_EQ(parse(make_elf({{R | X, 0x2f00, 0x401000, 0x200, 0x200}}, 0x401000), image), ElfError::SegmentOutsideFile);
    EXPECT_EQ(parse(make_elf({{R | X, ~0ull - 4, 0x401000, 0x10, 0x10}}, 0x401000), image), ElfError::SegmentOutsideFile);
    EXPECT_EQ(parse(make_elf({{R | X, 0x1000, 0x401000, 0x200, 0x100}}, 0x401000), image),
              ElfError::SegmentFileSizeExceedsMemorySize);
    EXPECT_EQ(parse(make_elf({{R | X, 0x1000, 0xffffffff80000000, 0x10, 0x10}}, 0xffffffff80000000), image),
              ElfError::SegmentOutsideUserRange);
    EXPECT_EQ(parse(make_elf({{R | X, 0x1000, 0x7ffffffff000, 0x10, 0x2000}}, 0x7ffffffff000), image),
              ElfError::SegmentOutsideUserRange);
    EXPECT_EQ(parse(make_elf({{R | X, 0x1000, 0x401000, 0x10, ~0ull}}, 0x401000), image),
              ElfError::SegmentOutsideUserRange);
    EXPECT_EQ(parse(make_elf({{R | X, 0x1000, 0x401000, 0x800, 0x2000}, {R | W, 0x2000, 0x402000, 0x10, 0x10}}, 0x401000), image),
              ElfError::SegmentsOverlap);
    EXPECT_EQ(parse(make_elf({}, 0x401000), image), ElfError::NoLoadableSegments);
    EXPECT_EQ(parse(make_elf({{R | W, 0x1000, 0x401000, 0x10, 0x10}}, 0x401000), image),
              ElfError::EntryOutsideExecutableSegment);
    std::vector<Segment> many(ElfImage::MaxSegments + 1);
    for (size_t i = 0; i < many.size(); i++)
        many[i] = {R | X, 0x1000, 0x400000 + 0x1000 * i, 0x10, 0x10};
    EXPECT_EQ(parse(make_elf(many, 0x400000, 0x4000), image), ElfError::TooManySegments);
}

TEST(ElfImage, RandomCorruptionNeverReadsOutOfBoundsAndAcceptedImagesAreConsistent)
{
    std::mt19937_64 random(42);
    const auto base = good();
    for (int i = 0; i < 20000; i++) {
        auto f = base;
        const int flips = 1 + int(random() % 8);
        for (int k = 0; k < flips; k++)
            f[random() % 128] ^= uint8_t(1u << (random() % 8));
        if (random() % 4 == 0)
            f.resize(random() % f.size());
        // Copy into an exactly sized heap buffer so ASan catches any read past the end.
        std::vector<uint8_t> exact(f.begin(), f.end());
        ElfImage image;
        if (parse_elf_image(exact.data(), exact.size(), User, image) != ElfError::None)
            continue;
        for (unsigned s = 0; s < image.segment_count; s++) {
            const ElfSegment& seg = image.segments[s];
            ASSERT_LE(seg.file_offset + seg.file_size, exact.size());
            ASSERT_LE(seg.file_size, seg.memory_size);
            ASSERT_LE(seg.end().raw(), User.high.raw());
            if (s > 0) {
                ASSERT_LE(image.segments[s - 1].end(), seg.vaddr);
            }
        }
    }
}
