// A Linux x86_64 executable as execve sees it: checked once by parse() (the file comes from the
// program's file system, so nothing in it is trusted), then loaded into a process's
// AddressSpace. Static programs only: ET_EXEC, and ET_DYN without PT_INTERP (static-PIE, which
// relocates itself); a PT_INTERP is ENOEXEC until a dynamic loader is served.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "core/vm/address_space.h"

namespace tessera::posix {

struct LoadSegment {
    uint64_t vaddr, file_offset, file_size, memory_size;
    uint32_t protection; // PROT_* from the segment's PF_* flags
};

class LinuxImage {
public:
    static constexpr unsigned MaxSegments = 16;

    // ENOEXEC for anything that is not a loadable static x86_64 executable.
    static Result<LinuxImage> parse(const uint8_t* bytes, size_t size);

    bool position_independent() const { return position_independent_; }
    uint64_t entry() const { return entry_; }
    unsigned segment_count() const { return count_; }
    const LoadSegment& segment(unsigned i) const { return segments_[i]; }
    // The program headers' address in memory before any bias (AT_PHDR), and their count.
    uint64_t program_headers() const { return program_headers_; }
    unsigned program_header_count() const { return program_header_count_; }
    // The span of the loadable segments, page-rounded.
    uint64_t lowest() const;
    uint64_t highest() const;
    // PT_GNU_STACK asks for an executable stack.
    bool executable_stack() const { return executable_stack_; }

private:
    bool position_independent_ = false;
    bool executable_stack_ = false;
    uint64_t entry_ = 0;
    uint64_t program_headers_ = 0;
    unsigned program_header_count_ = 0;
    LoadSegment segments_[MaxSegments] = {};
    unsigned count_ = 0;
};

struct LoadedImage {
    uint64_t bias;             // added to every address of a position-independent image
    uint64_t entry;            // AT_ENTRY and the first rip
    uint64_t program_headers;  // AT_PHDR
    uint64_t break_start;      // the program break's start: the page above the last segment
};

// Where a static-PIE image goes (Linux places a PIE without interpreter at ELF_ET_DYN_BASE's
// neighbourhood; without address randomisation, one fixed base).
inline constexpr uint64_t PieBase = 0x555555554000;

// Maps each segment with its protections (pages shared by two segments get both) and the rest
// of its memory zero. With `file` (the same bytes as a memory object), a segment whose pages are
// its own is a private mapping of the file: its pages are the file's shared frames until the program writes one, and only the pages
// it touches are ever made. Other segments, and every segment without `file`, get the bytes
// copied. ENOMEM when memory runs out; `space` keeps what was mapped, for the caller's clear().
Result<LoadedImage> load_image(AddressSpace& space, const LinuxImage& image, const uint8_t* bytes,
                               Ref<MemoryObject> file = nullptr);

} // namespace tessera::posix
