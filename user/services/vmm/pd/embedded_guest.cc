#include "embedded_guest.h"

#include <string.h>
#include <tessera/elf/elf64.h>

extern "C" {
// Page-aligned, in the segment vm_guest.ld gives it; the tool's symbols (tools/tessera vm_run.cc).
extern const uint8_t tessera_vm_guest[16];
__attribute__((section(".tessera_vm_guest"), used, aligned(4096)))
const uint8_t tessera_vm_guest[16] = {};
// Patched by the tool; volatile so that the patched value is read, not this zero.
extern volatile const uint64_t tessera_vm_guest_size;
__attribute__((used)) volatile const uint64_t tessera_vm_guest_size = 0;
extern const unsigned char __ehdr_start[];
}

namespace tessera::services::vmm {
namespace {

// The placeholder segment's size as the kernel mapped it, from this image's program headers: a
// size patched larger must not make the VMM read unmapped memory.
uint64_t mapped_size()
{
    tessera::elf::FileHeader header;
    memcpy(&header, __ehdr_start, sizeof header);
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        tessera::elf::ProgramHeader ph;
        memcpy(&ph, __ehdr_start + header.program_header_offset + i * sizeof ph, sizeof ph);
        if (ph.type == tessera::elf::SegmentLoad &&
            ph.vaddr == reinterpret_cast<uintptr_t>(tessera_vm_guest))
            return ph.memory_size;
    }
    return 0;
}

} // namespace

EmbeddedGuest embedded_guest()
{
    const uint64_t stored = tessera_vm_guest_size;
    const uint64_t mapped = mapped_size();
    return {tessera_vm_guest, size_t(stored < mapped ? stored : mapped)};
}

} // namespace tessera::services::vmm
