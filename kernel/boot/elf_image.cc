// ELF64 checks (System V gABI, "ELF Header" and "Program Header"; x86-64 psABI for EM_X86_64).
#include "boot/elf_image.h"

#include <tessera/elf/elf64.h>

namespace tessera::boot {
namespace {

using elf::FileHeader;
using elf::ProgramHeader;

// Copies instead of casting: the image may be misaligned in memory.
template <class T> T read_at(const uint8_t* data, Word offset)
{
    T value;
    __builtin_memcpy(&value, data + offset, sizeof(T));
    return value;
}

} // namespace

const char* describe(ElfError error)
{
    switch (error) {
    case ElfError::None: return "no error";
    case ElfError::Truncated: return "the file is shorter than an ELF header";
    case ElfError::NotElf: return "not an ELF file (bad magic)";
    case ElfError::NotElf64: return "not a 64-bit ELF file";
    case ElfError::NotLittleEndian: return "not little-endian";
    case ElfError::BadVersion: return "unknown ELF version";
    case ElfError::NotExecutable: return "not an executable (ET_EXEC) file";
    case ElfError::WrongMachine: return "not built for x86_64";
    case ElfError::BadProgramHeaderTable: return "the program header table lies outside the file or is malformed";
    case ElfError::TooManySegments: return "too many loadable segments";
    case ElfError::NoLoadableSegments: return "no loadable segment";
    case ElfError::SegmentOutsideFile: return "a segment's bytes lie outside the file";
    case ElfError::SegmentFileSizeExceedsMemorySize: return "a segment's file size exceeds its memory size";
    case ElfError::SegmentOutsideUserRange: return "a segment lies outside the user address range";
    case ElfError::SegmentsOverlap: return "two segments overlap";
    case ElfError::EntryOutsideExecutableSegment: return "the entry point is not in an executable segment";
    }
    return "unknown error";
}

ElfError parse_elf_image(const uint8_t* data, Word size, UserRange user, ElfImage& out)
{
    out = ElfImage{};
    if (size < sizeof(FileHeader))
        return ElfError::Truncated;
    const auto header = read_at<FileHeader>(data, 0);
    if (header.ident[0] != elf::Magic[0] || header.ident[1] != elf::Magic[1] || header.ident[2] != elf::Magic[2] ||
        header.ident[3] != elf::Magic[3])
        return ElfError::NotElf;
    if (header.ident[4] != elf::ClassElf64)
        return ElfError::NotElf64;
    if (header.ident[5] != elf::DataLittleEndian)
        return ElfError::NotLittleEndian;
    if (header.ident[6] != elf::CurrentVersion || header.version != elf::CurrentVersion)
        return ElfError::BadVersion;
    if (header.type != elf::TypeExecutable)
        return ElfError::NotExecutable;
    if (header.machine != elf::MachineX86_64)
        return ElfError::WrongMachine;
    if (header.program_header_size != sizeof(ProgramHeader) || header.program_header_offset > size ||
        Word{header.program_header_count} * sizeof(ProgramHeader) > size - header.program_header_offset)
        return ElfError::BadProgramHeaderTable;

    for (unsigned i = 0; i < header.program_header_count; i++) {
        const auto ph = read_at<ProgramHeader>(data, header.program_header_offset + Word{i} * sizeof(ProgramHeader));
        if (ph.type != elf::SegmentLoad || ph.memory_size == 0)
            continue;
        if (ph.offset > size || ph.file_size > size - ph.offset)
            return ElfError::SegmentOutsideFile;
        if (ph.file_size > ph.memory_size)
            return ElfError::SegmentFileSizeExceedsMemorySize;
        if (ph.vaddr < user.low.raw() || ph.vaddr >= user.high.raw() ||
            ph.memory_size > user.high.raw() - ph.vaddr)
            return ElfError::SegmentOutsideUserRange;
        if (out.segment_count == ElfImage::MaxSegments)
            return ElfError::TooManySegments;

        const ElfSegment segment{VAddr{ph.vaddr}, ph.memory_size, ph.offset, ph.file_size,
                                 (ph.flags & elf::FlagRead) != 0, (ph.flags & elf::FlagWrite) != 0,
                                 (ph.flags & elf::FlagExecute) != 0};
        // Insert sorted by address, refusing overlaps with either neighbour.
        unsigned at = 0;
        while (at < out.segment_count && out.segments[at].vaddr < segment.vaddr)
            at++;
        if (at > 0 && out.segments[at - 1].end() > segment.vaddr)
            return ElfError::SegmentsOverlap;
        if (at < out.segment_count && segment.end() > out.segments[at].vaddr)
            return ElfError::SegmentsOverlap;
        for (unsigned j = out.segment_count; j > at; j--)
            out.segments[j] = out.segments[j - 1];
        out.segments[at] = segment;
        out.segment_count++;
    }
    if (out.segment_count == 0)
        return ElfError::NoLoadableSegments;

    out.lowest = out.segments[0].vaddr;
    out.highest = out.segments[out.segment_count - 1].end();
    out.entry = VAddr{header.entry};
    for (unsigned i = 0; i < out.segment_count; i++) {
        const ElfSegment& s = out.segments[i];
        if (s.executable && s.vaddr <= out.entry && out.entry < s.end())
            return ElfError::None;
    }
    return ElfError::EntryOutsideExecutableSegment;
}

} // namespace tessera::boot
