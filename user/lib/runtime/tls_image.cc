// Finding the program's TLS template through the ELF header the image maps at __ehdr_start.
#include <tessera/runtime/tls.h>

#include <string.h>

extern "C" const unsigned char __ehdr_start[];

namespace tessera::runtime {
namespace {

struct ProgramHeader {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
constexpr uint32_t SegmentLoad = 1;
constexpr uint32_t SegmentTls = 7;
constexpr size_t ProgramHeaderOffsetAt = 32; // e_phoff in the ELF64 header
constexpr size_t ProgramHeaderCountAt = 56;  // e_phnum

template <class T> T read(const unsigned char* p)
{
    T v;
    memcpy(&v, p, sizeof(T));
    return v;
}

} // namespace

TlsImage program_tls_image()
{
    const uint64_t phoff = read<uint64_t>(__ehdr_start + ProgramHeaderOffsetAt);
    const uint16_t phnum = read<uint16_t>(__ehdr_start + ProgramHeaderCountAt);
    ProgramHeader tls{};
    bool found = false;
    // The segment holding file offset 0 (the ELF header) tells where the image was loaded.
    uintptr_t bias = 0;
    for (uint16_t i = 0; i < phnum; i++) {
        const auto ph = read<ProgramHeader>(__ehdr_start + phoff + i * sizeof(ProgramHeader));
        if (ph.type == SegmentTls) {
            tls = ph;
            found = true;
        }
        if (ph.type == SegmentLoad && ph.offset == 0)
            bias = reinterpret_cast<uintptr_t>(__ehdr_start) - ph.vaddr;
    }
    if (!found)
        return TlsImage{};
    return TlsImage{reinterpret_cast<const void*>(tls.vaddr + bias), tls.filesz, tls.memsz,
                    tls.align == 0 ? 1 : tls.align};
}

} // namespace tessera::runtime
