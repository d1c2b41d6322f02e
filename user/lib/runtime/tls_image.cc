// Finding the program's TLS template through the ELF header the image maps at __ehdr_start.
#include <tessera/runtime/tls.h>

#include <string.h>

#include <tessera/elf/elf64.h>

extern "C" const unsigned char __ehdr_start[];

namespace tessera::runtime {
namespace {

template <class T> T read(const unsigned char* p)
{
    T v;
    memcpy(&v, p, sizeof(T));
    return v;
}

} // namespace

TlsImage program_tls_image()
{
    const auto file = read<elf::FileHeader>(__ehdr_start);
    elf::ProgramHeader tls{};
    bool found = false;
    // The segment holding file offset 0 (the ELF header) tells where the image was loaded.
    uintptr_t bias = 0;
    for (uint16_t i = 0; i < file.program_header_count; i++) {
        const auto ph = read<elf::ProgramHeader>(__ehdr_start + file.program_header_offset +
                                                 i * sizeof(elf::ProgramHeader));
        if (ph.type == elf::SegmentTls) {
            tls = ph;
            found = true;
        }
        if (ph.type == elf::SegmentLoad && ph.offset == 0)
            bias = reinterpret_cast<uintptr_t>(__ehdr_start) - ph.vaddr;
    }
    if (!found)
        return TlsImage{};
    return TlsImage{reinterpret_cast<const void*>(tls.vaddr + bias), tls.file_size, tls.memory_size,
                    tls.align == 0 ? 1 : tls.align};
}

} // namespace tessera::runtime
