// Checks a root task's ELF64 image before the kernel maps it: every field the loader relies on is
// validated against the file's size and the user address range, so that a corrupt or hostile
// image is refused with one clear reason instead of crashing the boot.
#pragma once

#include <cstdint>

#include "core/base/types.h"

namespace tessera::boot {

using core::VAddr;
using core::Word;

enum class ElfError {
    None,
    Truncated,
    NotElf,
    NotElf64,
    NotLittleEndian,
    BadVersion,
    NotExecutable,
    WrongMachine,
    BadProgramHeaderTable,
    TooManySegments,
    NoLoadableSegments,
    SegmentOutsideFile,
    SegmentFileSizeExceedsMemorySize,
    SegmentOutsideUserRange,
    SegmentsOverlap,
    EntryOutsideExecutableSegment,
};

const char* describe(ElfError error);

struct ElfSegment {
    VAddr vaddr;
    Word memory_size;
    Word file_offset;
    Word file_size;
    bool readable, writable, executable;

    VAddr end() const { return vaddr + memory_size; }
};

struct ElfImage {
    static constexpr unsigned MaxSegments = 16;

    VAddr entry;
    ElfSegment segments[MaxSegments];
    unsigned segment_count;
    VAddr lowest;  // first byte of the lowest loadable segment
    VAddr highest; // one past the last byte of the highest one
};

// The lowest and one-past-highest user virtual addresses a segment may occupy.
struct UserRange {
    VAddr low;
    VAddr high;
};

// Parses `size` bytes at `data` as an x86_64 ELF64 executable whose loadable segments lie in
// `user`. On success fills `out` (segments sorted by address, non-overlapping).
[[nodiscard]] ElfError parse_elf_image(const uint8_t* data, Word size, UserRange user, ElfImage& out);

} // namespace tessera::boot
