// The Linux x86 boot protocol's setup header, read from a bzImage and checked before any of it is
// trusted: the image is a file the user named, so every length and address in it is input.
// Facts from the kernel's Documentation/arch/x86/boot.rst (protocol 2.12+, 64-bit entry).
#pragma once

#include <tessera/libos/result.h>

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

// Bytes of a file the VMM was given: a view, not owned.
struct ImageBytes {
    const uint8_t* data;
    size_t size;
};

// Offsets into the bzImage's first sector(s) (and into boot_params, where the header is copied
// at the same offsets).
namespace setup_offset {
constexpr size_t SetupSects = 0x1f1;        // u8: 512-byte setup sectors after the boot sector
constexpr size_t SysSize = 0x1f4;           // u32: protected-mode code size in 16-byte units
constexpr size_t BootFlag = 0x1fe;          // u16: 0xaa55
constexpr size_t Jump = 0x200;              // u16: jmp; its second byte says where the header ends
constexpr size_t Header = 0x202;            // u32: "HdrS"
constexpr size_t Version = 0x206;           // u16: protocol version, major.minor as 0xMMmm
constexpr size_t TypeOfLoader = 0x210;      // u8
constexpr size_t LoadFlags = 0x211;         // u8
constexpr size_t RamdiskImage = 0x218;      // u32
constexpr size_t RamdiskSize = 0x21c;       // u32
constexpr size_t CmdLinePtr = 0x228;        // u32
constexpr size_t InitrdAddrMax = 0x22c;     // u32: highest byte address the initrd may occupy
constexpr size_t KernelAlignment = 0x230;   // u32
constexpr size_t RelocatableKernel = 0x234; // u8
constexpr size_t XLoadFlags = 0x236;        // u16 (2.12+)
constexpr size_t CmdlineSize = 0x238;       // u32: longest command line, without its NUL
constexpr size_t PrefAddress = 0x258;       // u64: preferred load address
constexpr size_t InitSize = 0x260;          // u32: bytes the kernel needs from its load address
} // namespace setup_offset

constexpr uint16_t BootFlagValue = 0xaa55;
constexpr uint32_t HeaderMagic = 0x53726448; // "HdrS", little-endian
// 2.12 added xloadflags, which is where a kernel says it has a 64-bit entry point.
constexpr uint16_t MinimumVersion = 0x020c;
constexpr uint8_t LoadedHigh = 1u << 0;   // loadflags: protected-mode code at 0x100000+
constexpr uint16_t XlfKernel64 = 1u << 0; // xloadflags: 64-bit entry at load address + 0x200
constexpr uint64_t Entry64Offset = 0x200;
// Setup sectors when the field says 0 (the oldest images; boot.rst).
constexpr unsigned DefaultSetupSects = 4;
constexpr size_t SectorBytes = 512;

// What the loader needs from a checked header.
struct SetupHeader {
    uint16_t version;
    size_t setup_bytes;   // boot sector + setup sectors: where the payload starts
    size_t payload_bytes; // the protected-mode kernel, copied to the load address
    size_t header_end;    // one past the header's last byte (copied into boot_params)
    uint64_t pref_address;
    uint32_t kernel_alignment;
    bool relocatable;
    uint32_t init_size; // bytes reserved from the load address (>= payload)
    uint32_t initrd_addr_max;
    uint32_t cmdline_size;
};

// Reads and checks the header: a truncated file, a file that is not a bzImage, a protocol older
// than 2.12, a kernel without a 64-bit entry or with inconsistent sizes is an error naming what
// is wrong (seL4_InvalidArgument). Reads nothing outside `image`.
libos::Result<SetupHeader> parse_setup_header(ImageBytes image);

} // namespace tessera::services::vmm
