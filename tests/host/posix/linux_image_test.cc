// execve's image checks and loading (core/exec/linux_image): Debian's busybox-static (a glibc
// static ET_EXEC with PT_TLS) loads with its segments' bytes, rights and .bss; the same file
// marked ET_DYN loads at the PIE base; damaged or dynamic files are ENOEXEC, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include <tessera/elf/elf64.h>

#include "core/exec/linux_image.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

constexpr char Busybox[] = "/bin/busybox"; // busybox-static (scripts/install-deps.sh)

std::vector<uint8_t> read_file(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

struct LinuxImageTest : ::testing::Test {
    std::vector<uint8_t> file = read_file(Busybox);
    test::TestPool pool{1024};
    test::RecordingBackend backend;
    AddressSpace space{pool, backend, backend.create_space().value()};

    void SetUp() override { ASSERT_GT(file.size(), 4096u) << Busybox << " missing: install busybox-static"; }
    void TearDown() override { space.clear(); }
    elf::FileHeader& header() { return *reinterpret_cast<elf::FileHeader*>(file.data()); }
    elf::ProgramHeader& program_header(unsigned i)
    {
        return *reinterpret_cast<elf::ProgramHeader*>(file.data() + header().program_header_offset +
                                                      i * sizeof(elf::ProgramHeader));
    }
    Errno parse_error() { return LinuxImage::parse(file.data(), file.size()).error(); }
};

TEST_F(LinuxImageTest, BusyboxLoadsWithItsBytesRightsAndZeroBss)
{
    auto image = LinuxImage::parse(file.data(), file.size());
    ASSERT_TRUE(image.is_ok());
    EXPECT_FALSE(image.value().position_independent());
    auto loaded = load_image(space, image.value(), file.data());
    ASSERT_TRUE(loaded.is_ok());
    EXPECT_EQ(loaded.value().entry, header().entry);
    EXPECT_EQ(loaded.value().program_headers, 0x400000 + header().program_header_offset);
    for (unsigned i = 0; i < image.value().segment_count(); ++i) {
        const LoadSegment& s = image.value().segment(i);
        std::vector<uint8_t> back(s.file_size);
        ASSERT_TRUE(space.read(s.vaddr, back.data(), back.size()).is_ok());
        EXPECT_EQ(memcmp(back.data(), file.data() + s.file_offset, s.file_size), 0) << i;
        if (s.memory_size > s.file_size) {
            std::vector<uint8_t> bss(s.memory_size - s.file_size, 0xff);
            ASSERT_TRUE(space.read(s.vaddr + s.file_size, bss.data(), bss.size()).is_ok());
            EXPECT_EQ(std::count(bss.begin(), bss.end(), 0), long(bss.size()));
        }
        const Region* region = space.region_at(s.vaddr);
        ASSERT_NE(region, nullptr);
        EXPECT_EQ(region->protection & s.protection, s.protection);
    }
    // Text is not writable, data is; the break starts above the last segment.
    uint8_t byte = 0;
    EXPECT_EQ(space.write(header().entry, &byte, 1).error(), Errno::Fault);
    const LoadSegment& last = image.value().segment(image.value().segment_count() - 1);
    EXPECT_TRUE(space.write(last.vaddr, &byte, 1).is_ok());
    EXPECT_EQ(loaded.value().break_start, page_up(last.vaddr + last.memory_size));
}

TEST_F(LinuxImageTest, PositionIndependentImageLoadsAtThePieBase)
{
    header().type = 3; // ET_DYN: the layout is the same, only the bias changes
    auto image = LinuxImage::parse(file.data(), file.size());
    ASSERT_TRUE(image.is_ok());
    EXPECT_TRUE(image.value().position_independent());
    auto loaded = load_image(space, image.value(), file.data());
    ASSERT_TRUE(loaded.is_ok());
    EXPECT_EQ(loaded.value().entry, PieBase + header().entry);
    uint8_t first[4];
    ASSERT_TRUE(space.read(PieBase + 0x400000, first, 4).is_ok());
    EXPECT_EQ(memcmp(first, elf::Magic, 4), 0);
}

TEST_F(LinuxImageTest, DamagedHeadersAreNoExec)
{
    EXPECT_EQ(LinuxImage::parse(file.data(), 10).error(), Errno::NoExec);
    auto original = file;
    header().machine = 3; // i386
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    header().program_header_offset = file.size() - 8;
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    header().entry = 0x10; // outside every executable segment
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    program_header(1).offset = file.size(); // a load segment past the end of the file
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    program_header(1).file_size = program_header(1).memory_size + 1;
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    program_header(3).vaddr = ~uint64_t{0} - 0x1000 + (program_header(3).vaddr & PageMask);
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    program_header(2).vaddr = program_header(1).vaddr; // overlapping segments
    EXPECT_EQ(parse_error(), Errno::NoExec);
    file = original;
    EXPECT_TRUE(LinuxImage::parse(file.data(), file.size()).is_ok());
}

TEST_F(LinuxImageTest, DynamicProgramsAreNoExec)
{
    program_header(4).type = 3; // PT_INTERP in place of a PT_NOTE
    EXPECT_EQ(parse_error(), Errno::NoExec);
}

TEST_F(LinuxImageTest, RunningOutOfMemoryWhileLoadingIsNoMem)
{
    test::TestPool small{16};
    test::RecordingBackend b;
    AddressSpace tiny{small, b, b.create_space().value()};
    auto image = LinuxImage::parse(file.data(), file.size());
    ASSERT_TRUE(image.is_ok());
    auto loaded = load_image(tiny, image.value(), file.data());
    EXPECT_FALSE(loaded.is_ok());
    tiny.clear();
    EXPECT_EQ(small.available(), 16u);
}

} // namespace
} // namespace tessera::posix
