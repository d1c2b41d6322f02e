// TLB maintenance for user address spaces: CR3 loads and the invalidations that follow a change
// of the page tables, with PCIDs where the CPU has them (vspace/pcid_policy.h says which).
#pragma once

#include <cstdint>

#include "base/types.h"

namespace tessera::x86_64 {

// Boot, once the kernel's page tables are loaded (CR3's PCID bits are 0): turns CR4.PCIDE on
// where the CPU has PCIDs.
void init_address_space_tags();

// The value a thread's address-space root is kept as: `pml4` tagged with `asid` as its PCID.
uint64_t tagged_root(uint64_t pml4, core::Asid asid);
// Loads a root from tagged_root into CR3, keeping the cached entries of its PCID unless a
// change made them stale.
void load_user_root(uint64_t root);
// load_user_root, then the flat fastpaths' way out to the current thread (fastpath_return,
// syscall_entry.S), for their switch to another address space: one call, where a return and a
// jump back to the way out cost two instructions more.
[[noreturn]] void load_user_root_and_return(uint64_t root);

// One translation at `vaddr` of the address space `pml4` (ASID `asid`) changed.
void flush_user_address(uint64_t pml4, core::Asid asid, uint64_t vaddr);
// A paging structure of that address space was unlinked.
void flush_user_space(uint64_t pml4, core::Asid asid);
// `asid` stops naming `pml4` and may be assigned again; a CPU running on `pml4` leaves it.
void release_asid(uint64_t pml4, core::Asid asid);

} // namespace tessera::x86_64
