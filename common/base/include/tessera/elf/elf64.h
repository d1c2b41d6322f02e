// The ELF64 layouts every reader of a program image shares: the kernel's boot check, the user ELF
// loader and runtime, the benchmarks and the tessera tool (System V gABI "ELF Header", "Program
// Header", "Sections", "Symbol Table"; x86-64 psABI for the machine). Little-endian x86_64 only.
#pragma once

#include <stdint.h>

namespace tessera::elf {

struct FileHeader {
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t program_header_offset;
    uint64_t section_header_offset;
    uint32_t flags;
    uint16_t header_size;
    uint16_t program_header_size;
    uint16_t program_header_count;
    uint16_t section_header_size;
    uint16_t section_header_count;
    uint16_t section_name_index;
};
static_assert(sizeof(FileHeader) == 64, "ELF64 file header is 64 bytes");

struct ProgramHeader {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t file_size;
    uint64_t memory_size;
    uint64_t align;
};
static_assert(sizeof(ProgramHeader) == 56, "ELF64 program header is 56 bytes");

struct SectionHeader {
    uint32_t name; // offset in the section name table
    uint32_t type;
    uint64_t flags;
    uint64_t address;
    uint64_t offset;
    uint64_t size;
    uint32_t link; // for a symbol table: the section of its strings
    uint32_t info;
    uint64_t alignment;
    uint64_t entry_size;
};
static_assert(sizeof(SectionHeader) == 64, "ELF64 section header is 64 bytes");

struct Symbol {
    uint32_t name; // offset in the string table
    uint8_t info;
    uint8_t other;
    uint16_t section;
    uint64_t value;
    uint64_t size;
};
static_assert(sizeof(Symbol) == 24, "ELF64 symbol is 24 bytes");

// Where the image's own header sits in it: a program reading its headers at __ehdr_start.
static_assert(__builtin_offsetof(FileHeader, program_header_offset) == 32);
static_assert(__builtin_offsetof(FileHeader, program_header_count) == 56);

constexpr uint8_t Magic[4] = {0x7f, 'E', 'L', 'F'};
constexpr uint8_t ClassElf64 = 2;       // ident[4]
constexpr uint8_t DataLittleEndian = 1; // ident[5]
constexpr uint8_t CurrentVersion = 1;   // ident[6] and version
constexpr uint16_t TypeExecutable = 2;
constexpr uint16_t MachineX86_64 = 62;
constexpr uint32_t SegmentLoad = 1;
constexpr uint32_t SegmentInterpreter = 3;
constexpr uint32_t SegmentProgramHeaders = 6;
constexpr uint32_t SegmentTls = 7;
constexpr uint32_t SegmentGnuStack = 0x6474e551;
constexpr uint32_t FlagExecute = 1;
constexpr uint32_t FlagWrite = 2;
constexpr uint32_t FlagRead = 4;
constexpr uint32_t SectionSymbolTable = 2;

} // namespace tessera::elf
