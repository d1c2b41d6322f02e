// The kernel's virtual memory layout and the page-table format (Intel SDM vol. 3A, 4.5).
//
//   0x0000000000000000 .. 0x00007fffffffffff  user (seL4's USER_TOP is 0x7fffffffffff)
//   0xffff800000000000 ..                     direct map of physical memory (PML4 slot 256)
//   0xffffffff80000000 ..                     the kernel image (PML4 slot 511), -mcmodel=kernel
#pragma once

#include <cstdint>

#include "boot/multiboot.h"

namespace tessera::x86_64 {

inline constexpr uint64_t DirectMapBase = 0xffff800000000000;
inline constexpr uint64_t KernelVirtualOffset = 0xffffffff80000000;
inline constexpr uint64_t UserTop = 0x0000800000000000; // first address user mappings may not use
inline constexpr uint64_t PageSize = 4096;
inline constexpr unsigned PageBits = 12;

namespace pte {
inline constexpr uint64_t Present = 1u << 0, Writable = 1u << 1, User = 1u << 2,
                          WriteThrough = 1u << 3, CacheDisable = 1u << 4, Accessed = 1u << 5,
                          Dirty = 1u << 6, LargePage = 1u << 7, Global = 1u << 8,
                          NoExecute = uint64_t{1} << 63;
inline constexpr uint64_t AddressMask = 0x000ffffffffff000;
} // namespace pte

// The entry that translates `vaddr` in a table of `level` (3 = PML4, 2 = PDPT, 1 = page directory,
// 0 = page table).
constexpr unsigned table_index(uint64_t vaddr, unsigned level) { return (vaddr >> (PageBits + 9 * level)) & 511; }

template <class T> T* physical_to_virtual(uint64_t physical)
{
    return reinterpret_cast<T*>(physical + DirectMapBase);
}
// For addresses in the direct map or in the kernel image.
uint64_t virtual_to_physical(const void* virtual_address);

// Page-table entry flags for data the kernel never executes, when the CPU has NX.
uint64_t no_execute_flag();

// Builds and loads the kernel's final page tables: the direct map of every physical byte up to
// `direct_map_end` (at least 4 GiB; RAM write-back, other memory uncached) and the kernel image
// with per-section rights. Turns on NX, global pages, SMEP and SMAP where present.
// Returns the end of the physical range the direct map covers.
uint64_t init_kernel_address_space(const boot::MultibootInfo& info);

// The kernel's PML4 (physical), whose upper half every user address space shares.
uint64_t kernel_pml4_physical();

// Copies the kernel half of the kernel's PML4 into a new top-level table.
void copy_kernel_mappings(uint64_t* pml4);

} // namespace tessera::x86_64
