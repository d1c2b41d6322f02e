// execve's image checks and loading (core/exec/linux_image): Debian's busybox-static (a glibc
// static ET_EXEC with PT_TLS) loads with its segments' bytes, rights and .bss, copied or mapped
// from the file's shared pages; the same file marked ET_DYN loads at the PIE base; damaged or
// dynamic files are ENOEXEC, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include <tessera/elf/elf64.h>

#include "core/exec/linux_image.h"
#include "core/vm/file_object.h"
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

// Each segment's bytes, zero .bss and rights, as the program sees them in `target`.
void expect_loaded(AddressSpace& target, const LinuxImage& image, const std::vector<uint8_t>& file)
{
    for (unsigned i = 0; i < image.segment_count(); ++i) {
        const LoadSegment& s = image.segment(i);
        std::vector<uint8_t> back(s.file_size);
        ASSERT_TRUE(target.read(s.vaddr, back.data(), back.size()).is_ok());
        EXPECT_EQ(memcmp(back.data(), file.data() + s.file_offset, s.file_size), 0) << i;
        std::vector<uint8_t> bss(s.memory_size - s.file_size, 0xff);
        ASSERT_TRUE(target.read(s.vaddr + s.file_size, bss.data(), bss.size()).is_ok());
        EXPECT_EQ(std::count(bss.begin(), bss.end(), 0), long(bss.size())) << i;
        const Region* region = target.region_at(s.vaddr);
        ASSERT_NE(region, nullptr);
        EXPECT_EQ(region->protection & s.protection, s.protection) << i;
    }
}

TEST_F(LinuxImageTest, FileMappedRunsShareTheFilesPagesUntilOneWrites)
{
    const size_t before = pool.available();
    auto image = LinuxImage::parse(file.data(), file.size());
    ASSERT_TRUE(image.is_ok());
    Ref<FileObject> object = FileObject::make(pool, file.data(), file.size(), false);
    ASSERT_TRUE(object);
    AddressSpace other{pool, backend, backend.create_space().value()};
    ASSERT_TRUE(load_image(space, image.value(), file.data(), object).is_ok());
    ASSERT_TRUE(load_image(other, image.value(), file.data(), object).is_ok());
    // Loading filled one page of the file: the data segment's last, whose tail is .bss.
    EXPECT_EQ(object->filled_pages(), 1u);
    expect_loaded(space, image.value(), file);
    expect_loaded(other, image.value(), file);

    // Both runs read the program's text from one frame, the file's.
    const uint64_t entry = image.value().entry();
    uint8_t* mine = space.page_bytes(entry, Access::Execute);
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(mine, other.page_bytes(entry, Access::Execute));
    // Text's file offset is its address less 0x400000 (the first segment maps offset 0 there).
    EXPECT_EQ(mine, object->page((entry - 0x400000) / PageSize).value()->data + (entry & PageMask));
    uint8_t byte = 0;
    EXPECT_EQ(space.write(entry, &byte, 1).error(), Errno::Fault);

    // A write to data is the writer's alone: the other run and the file keep their bytes.
    const LoadSegment& data = image.value().segment(image.value().segment_count() - 1);
    const uint8_t original = file[data.file_offset];
    const uint8_t changed = uint8_t(original + 1);
    ASSERT_TRUE(space.write(data.vaddr, &changed, 1).is_ok());
    ASSERT_TRUE(other.read(data.vaddr, &byte, 1).is_ok());
    EXPECT_EQ(byte, original);
    EXPECT_EQ(object->page(data.file_offset / PageSize).value()->data[data.file_offset & PageMask],
              original);

    other.clear();
    space.clear();
    object.reset();
    EXPECT_EQ(pool.available(), before);
}

TEST_F(LinuxImageTest, SegmentsSharingAPageAreCopiedTheRestMapped)
{
    // The data segment moved down into the read-only data's last page (same page offset).
    elf::ProgramHeader& data = program_header(3);
    data.vaddr = data.paddr = 0x5da000 + (data.offset & PageMask);
    auto image = LinuxImage::parse(file.data(), file.size());
    ASSERT_TRUE(image.is_ok()) << int(image.error());
    Ref<FileObject> object = FileObject::make(pool, file.data(), file.size(), false);
    ASSERT_TRUE(load_image(space, image.value(), file.data(), object).is_ok());
    // The first two segments are mapped from the file and nothing read them yet; the two that
    // share a page were copied.
    EXPECT_EQ(object->filled_pages(), 0u);
    uint8_t byte = 0;
    ASSERT_TRUE(space.read(image.value().entry(), &byte, 1).is_ok());
    EXPECT_EQ(object->filled_pages(), 1u);
    expect_loaded(space, image.value(), file);
    const uint8_t changed = 0x5a;
    EXPECT_TRUE(space.write(0x5da000 + (data.offset & PageMask), &changed, 1).is_ok());
    space.clear();
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
