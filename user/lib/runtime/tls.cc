// Static thread-local storage for a component's initial thread. x86_64 uses TLS "variant II":
// the TLS block sits just below the thread pointer (FS base), and the word at the thread pointer
// holds the pointer itself. The block's initial image is the program's PT_TLS segment, found
// through the ELF header that the image maps at __ehdr_start.
#include "tls.h"

#include <stdint.h>
#include <string.h>

extern "C" const unsigned char __ehdr_start[];

namespace tessera::runtime {
namespace {

struct ProgramHeader {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
constexpr uint32_t SegmentTls = 7;

alignas(64) unsigned char initial_tls_area[InitialTlsAreaSize];

template <class T> T read(const unsigned char* p)
{
    T v;
    memcpy(&v, p, sizeof(T));
    return v;
}

} // namespace

uintptr_t init_initial_thread_tls()
{
    const uint64_t phoff = read<uint64_t>(__ehdr_start + 32);
    const uint16_t phnum = read<uint16_t>(__ehdr_start + 56);
    ProgramHeader tls{};
    for (uint16_t i = 0; i < phnum; i++) {
        const auto ph = read<ProgramHeader>(__ehdr_start + phoff + i * sizeof(ProgramHeader));
        if (ph.type == SegmentTls)
            tls = ph;
    }
    const uint64_t align = tls.align > 16 ? tls.align : 16;
    const uint64_t block = (tls.memsz + align - 1) & ~(align - 1);
    const uintptr_t base = reinterpret_cast<uintptr_t>(initial_tls_area);
    const uintptr_t thread_pointer = (base + block + align - 1) & ~(align - 1);
    if (thread_pointer + sizeof(uintptr_t) > base + sizeof(initial_tls_area))
        return 0;
    unsigned char* start = reinterpret_cast<unsigned char*>(thread_pointer - block);
    memcpy(start, reinterpret_cast<const void*>(tls.vaddr), tls.filesz);
    memset(start + tls.filesz, 0, tls.memsz - tls.filesz);
    *reinterpret_cast<uintptr_t*>(thread_pointer) = thread_pointer;
    return thread_pointer;
}

} // namespace tessera::runtime
