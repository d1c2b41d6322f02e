// Every check parse() makes is one the loader would otherwise have to trust: sizes that
// overflow, segments outside the file or outside user space, overlapping or unsorted segments.
#include "core/exec/linux_image.h"

#include <string.h>

#include <tessera/elf/elf64.h>

#include "linux/constants.h"

namespace tessera::posix {

namespace {

constexpr uint16_t TypeShared = 3; // ET_DYN
constexpr uint32_t SegmentInterpreter = 3, SegmentProgramHeaders = 6, SegmentGnuStack = 0x6474e551;

uint32_t protection_of(uint32_t flags)
{
    uint32_t p = 0;
    if (flags & elf::FlagRead)
        p |= linux::mman::ProtRead;
    if (flags & elf::FlagWrite)
        p |= linux::mman::ProtWrite;
    if (flags & elf::FlagExecute)
        p |= linux::mman::ProtExec;
    return p;
}

bool within(uint64_t offset, uint64_t length, uint64_t size)
{
    return offset <= size && length <= size - offset;
}

} // namespace

Result<LinuxImage> LinuxImage::parse(const uint8_t* bytes, size_t size)
{
    elf::FileHeader h;
    if (size < sizeof h)
        return Errno::NoExec;
    memcpy(&h, bytes, sizeof h);
    if (memcmp(h.ident, elf::Magic, 4) != 0 || h.ident[4] != elf::ClassElf64 ||
        h.ident[5] != elf::DataLittleEndian || h.machine != elf::MachineX86_64 ||
        (h.type != elf::TypeExecutable && h.type != TypeShared) ||
        h.program_header_size != sizeof(elf::ProgramHeader) || h.program_header_count == 0 ||
        !within(h.program_header_offset, uint64_t{h.program_header_count} * sizeof(elf::ProgramHeader), size))
        return Errno::NoExec;

    LinuxImage image;
    image.position_independent_ = h.type == TypeShared;
    image.entry_ = h.entry;
    image.program_header_count_ = h.program_header_count;
    bool have_phdr_segment = false;
    for (unsigned i = 0; i < h.program_header_count; ++i) {
        elf::ProgramHeader p;
        memcpy(&p, bytes + h.program_header_offset + i * sizeof p, sizeof p);
        if (p.type == SegmentInterpreter)
            return Errno::NoExec; // a dynamic program
        if (p.type == SegmentGnuStack)
            image.executable_stack_ = (p.flags & elf::FlagExecute) != 0;
        if (p.type == SegmentProgramHeaders) {
            image.program_headers_ = p.vaddr;
            have_phdr_segment = true;
        }
        if (p.type != elf::SegmentLoad || p.memory_size == 0)
            continue;
        if (image.count_ == MaxSegments || p.file_size > p.memory_size ||
            !within(p.offset, p.file_size, size) ||
            p.vaddr + p.memory_size < p.vaddr || p.vaddr + p.memory_size > AddressSpace::UserTop ||
            (p.vaddr & PageMask) != (p.offset & PageMask))
            return Errno::NoExec;
        if (image.count_ > 0) {
            const LoadSegment& previous = image.segments_[image.count_ - 1];
            if (p.vaddr < previous.vaddr + previous.memory_size) // unsorted or overlapping
                return Errno::NoExec;
        }
        image.segments_[image.count_++] = {p.vaddr, p.offset, p.file_size, p.memory_size,
                                           protection_of(p.flags)};
        if (!have_phdr_segment && h.program_header_offset >= p.offset &&
            h.program_header_offset < p.offset + p.file_size)
            image.program_headers_ = p.vaddr + (h.program_header_offset - p.offset);
    }
    if (image.count_ == 0)
        return Errno::NoExec;
    bool entry_inside = false;
    for (unsigned i = 0; i < image.count_; ++i) {
        const LoadSegment& s = image.segments_[i];
        entry_inside = entry_inside || (h.entry >= s.vaddr && h.entry < s.vaddr + s.memory_size &&
                                        (s.protection & linux::mman::ProtExec));
    }
    if (!entry_inside)
        return Errno::NoExec;
    if (image.position_independent_ && image.highest() > AddressSpace::UserTop - PieBase)
        return Errno::NoExec;
    if (!image.position_independent_ && image.lowest() < AddressSpace::MmapLowest)
        return Errno::NoExec;
    return image;
}

uint64_t LinuxImage::lowest() const
{
    return page_down(segments_[0].vaddr);
}

uint64_t LinuxImage::highest() const
{
    const LoadSegment& last = segments_[count_ - 1];
    return page_up(last.vaddr + last.memory_size);
}

namespace {

// The pages of segment `i` (biased) are its alone: no other segment has a byte in them.
bool owns_its_pages(const LinuxImage& image, unsigned i)
{
    const LoadSegment& s = image.segment(i);
    const uint64_t first = page_down(s.vaddr), end = page_up(s.vaddr + s.memory_size);
    for (unsigned j = 0; j < image.segment_count(); ++j) {
        const LoadSegment& other = image.segment(j);
        if (j != i && page_down(other.vaddr) < end && page_up(other.vaddr + other.memory_size) > first)
            return false;
    }
    return true;
}

// Segment `s` as a private mapping of `file`: the file's pages, then the zero tail of the last
// one (written, so that page alone becomes the process's copy), then anonymous zero pages.
Result<void> map_from_file(AddressSpace& space, const LoadSegment& s, uint64_t bias,
                           const Ref<MemoryObject>& file, uint32_t protection)
{
    const uint64_t start = page_down(s.vaddr + bias);
    const uint64_t file_end = page_up(s.vaddr + bias + s.file_size);
    const uint64_t end = page_up(s.vaddr + bias + s.memory_size);
    if (file_end > start)
        POSIX_CHECK(space.map(start, file_end - start, protection, false, file,
                              page_down(s.file_offset), AddressSpace::Placement::Fixed));
    const uint64_t data_end = s.vaddr + bias + s.file_size;
    const uint64_t zero_end = s.vaddr + bias + s.memory_size < file_end
                                  ? s.vaddr + bias + s.memory_size
                                  : file_end;
    if (zero_end > data_end)
        POSIX_CHECK(space.fill(data_end, 0, zero_end - data_end));
    if (end > file_end)
        POSIX_CHECK(space.map(file_end, end - file_end, protection, false, nullptr, 0,
                              AddressSpace::Placement::Fixed));
    return {};
}

} // namespace

Result<LoadedImage> load_image(AddressSpace& space, const LinuxImage& image, const uint8_t* bytes,
                               Ref<MemoryObject> file)
{
    const uint64_t bias = image.position_independent() ? PieBase : 0;
    constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;
    // Writable while the bytes go in; each segment's own protections once they are there.
    uint64_t mapped_end = 0;
    for (unsigned i = 0; i < image.segment_count(); ++i) {
        const LoadSegment& s = image.segment(i);
        // parse() has checked that address and file offset agree within a page.
        if (file && owns_its_pages(image, i)) {
            POSIX_CHECK(map_from_file(space, s, bias, file, ReadWrite));
            mapped_end = page_up(s.vaddr + bias + s.memory_size);
            continue;
        }
        uint64_t start = page_down(s.vaddr + bias);
        const uint64_t end = page_up(s.vaddr + bias + s.memory_size);
        start = start < mapped_end ? mapped_end : start; // a page shared with the previous one
        if (start < end)
            POSIX_CHECK(space.map(start, end - start, ReadWrite, false, nullptr, 0,
                                  AddressSpace::Placement::Fixed));
        mapped_end = end;
        POSIX_CHECK(space.write(s.vaddr + bias, bytes + s.file_offset, s.file_size));
    }
    for (unsigned i = 0; i < image.segment_count(); ++i) {
        const LoadSegment& s = image.segment(i);
        uint32_t protection = s.protection;
        const uint64_t first = page_down(s.vaddr + bias);
        const uint64_t end = page_up(s.vaddr + bias + s.memory_size);
        POSIX_CHECK(space.protect(first, end - first, protection));
        // A page shared with a neighbour keeps both segments' rights.
        if (i > 0) {
            const LoadSegment& before = image.segment(i - 1);
            if (page_up(before.vaddr + bias + before.memory_size) > first)
                POSIX_CHECK(space.protect(first, PageSize, protection | before.protection));
        }
    }
    return LoadedImage{bias, image.entry() + bias, image.program_headers() + bias,
                       image.highest() + bias};
}

} // namespace tessera::posix
