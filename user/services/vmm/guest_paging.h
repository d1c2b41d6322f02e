// Translating the guest's virtual addresses through its own page tables, in guest RAM, as its
// CPU would: the VMM needs this to read the instruction at RIP after an MMIO exit (no decode
// assists). Long mode 4-level paging with 4 KiB, 2 MiB and 1 GiB pages, or paging off; other
// modes are refused. AMD APM vol. 2, 5.3 (long-mode page translation).
#pragma once

#include "linux_loader.h"

#include <tessera/libos/result.h>

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

// The control state that decides how the guest translates.
struct GuestPagingState {
    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
};

// The guest-physical address of `virtual_address`. Errors (seL4_InvalidArgument): a mode other
// than long mode with 4-level paging or paging off, a non-canonical address, a page-table entry
// that is not present or lies outside guest RAM, a reserved large-page bit.
libos::Result<uint64_t> translate_guest_virtual(const GuestPagingState& state, GuestRam ram,
                                                uint64_t virtual_address);

// Copies up to `length` bytes from guest-virtual `address` into `out`, page by page; stops at the
// first byte that does not translate to RAM. Returns the number of bytes copied.
size_t read_guest_virtual(const GuestPagingState& state, GuestRam ram, uint64_t address,
                          uint8_t* out, size_t length);

} // namespace tessera::services::vmm
