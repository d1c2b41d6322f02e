// A checked view of an ELF64 executable in memory. parse() rejects anything the loader could
// not load safely (the image may come from an untrusted place), so later steps need no checks.
#pragma once

#include <tessera/elf/elf64.h>
#include <tessera/libos/result.h>
#include <tessera/libos/types.h>

#include <stddef.h>

namespace tessera::elf {

using libos::Result;
using libos::VAddr;

// Why parse() refused an image: Error.code is seL4_InvalidArgument, Error.detail one of these.
enum class Problem : seL4_Word {
    TooSmall = 1,
    NotElf,
    Not64Bit,
    NotLittleEndian,
    BadVersion,
    NotExecutable,
    NotX86_64,
    BadProgramHeaderSize,
    ProgramHeadersOutsideFile,
    TooManySegments,
    NoLoadableSegment,
    SegmentOutsideFile,
    FileSizeAboveMemorySize,
    SegmentOutsideUserSpace,
    MisalignedSegment,
    SegmentsShareAPage,
    EntryNotExecutable,
};

struct Segment {
    VAddr vaddr;
    seL4_Word file_offset;
    seL4_Word file_size;
    seL4_Word memory_size;
    uint32_t flags; // FlagRead | FlagWrite | FlagExecute
    VAddr first_page() const { return VAddr{vaddr.raw() & ~(libos::PageSize - 1)}; }
    seL4_Word pages() const
    {
        return (libos::align_up(vaddr.raw() + memory_size, seL4_PageBits) - first_page().raw()) /
               libos::PageSize;
    }
};

class Image {
public:
    static constexpr unsigned MaxSegments = 16;

    static Result<Image> parse(const void* data, size_t size);

    VAddr entry() const { return entry_; }
    unsigned segment_count() const { return segment_count_; }
    const Segment& segment(unsigned index) const { return segments_[index]; }
    const uint8_t* bytes() const { return data_; }
    // The first page above every segment.
    VAddr top() const;

private:
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
    VAddr entry_;
    Segment segments_[MaxSegments] = {};
    unsigned segment_count_ = 0;
};

} // namespace tessera::elf
