// ELF64 checks (System V gABI, "ELF Header" and "Program Header"; x86-64 psABI for EM_X86_64).
#include "boot/elf_image.h"

namespace tessera::boot {
namespace {

struct ElfHeader {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
static_assert(sizeof(ElfHeader) == 64);

struct ProgramHeader {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
static_assert(sizeof(ProgramHeader) == 56);

constexpr uint8_t ElfClass64 = 2, ElfDataLsb = 1, ElfVersionCurrent = 1;
constexpr uint16_t TypeExecutable = 2, MachineX86_64 = 62;
constexpr uint32_t SegmentLoad = 1;
constexpr uint32_t FlagExecute = 1, FlagWrite = 2, FlagRead = 4;

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
    if (size < sizeof(ElfHeader))
        return ElfError::Truncated;
    const auto header = read_at<ElfHeader>(data, 0);
    if (header.ident[0] != 0x7f || header.ident[1] != 'E' || header.ident[2] != 'L' || header.ident[3] != 'F')
        return ElfError::NotElf;
    if (header.ident[4] != ElfClass64)
        return ElfError::NotElf64;
    if (header.ident[5] != ElfDataLsb)
        return ElfError::NotLittleEndian;
    if (header.ident[6] != ElfVersionCurrent || header.version != ElfVersionCurrent)
        return ElfError::BadVersion;
    if (header.type != TypeExecutable)
        return ElfError::NotExecutable;
    if (header.machine != MachineX86_64)
        return ElfError::WrongMachine;
    if (header.phentsize != sizeof(ProgramHeader) || header.phoff > size ||
        Word{header.phnum} * sizeof(ProgramHeader) > size - header.phoff)
        return ElfError::BadProgramHeaderTable;

    for (unsigned i = 0; i < header.phnum; i++) {
        const auto ph = read_at<ProgramHeader>(data, header.phoff + Word{i} * sizeof(ProgramHeader));
        if (ph.type != SegmentLoad || ph.memsz == 0)
            continue;
        if (ph.offset > size || ph.filesz > size - ph.offset)
            return ElfError::SegmentOutsideFile;
        if (ph.filesz > ph.memsz)
            return ElfError::SegmentFileSizeExceedsMemorySize;
        if (ph.vaddr < user.low.raw() || ph.vaddr >= user.high.raw() ||
            ph.memsz > user.high.raw() - ph.vaddr)
            return ElfError::SegmentOutsideUserRange;
        if (out.segment_count == ElfImage::MaxSegments)
            return ElfError::TooManySegments;

        const ElfSegment segment{VAddr{ph.vaddr}, ph.memsz, ph.offset, ph.filesz,
                                 (ph.flags & FlagRead) != 0, (ph.flags & FlagWrite) != 0,
                                 (ph.flags & FlagExecute) != 0};
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
