// The parts of the ELF64 format the loader reads (System V ABI, ELF-64 Object File Format 1.5):
// the file header and the program headers, little-endian x86_64 executables only.
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

constexpr uint8_t Magic[4] = {0x7f, 'E', 'L', 'F'};
constexpr uint8_t ClassElf64 = 2;       // ident[4]
constexpr uint8_t DataLittleEndian = 1; // ident[5]
constexpr uint8_t CurrentVersion = 1;   // ident[6] and version
constexpr uint16_t TypeExecutable = 2;
constexpr uint16_t MachineX86_64 = 62;
constexpr uint32_t SegmentLoad = 1;
constexpr uint32_t FlagExecute = 1;
constexpr uint32_t FlagWrite = 2;
constexpr uint32_t FlagRead = 4;

} // namespace tessera::elf
