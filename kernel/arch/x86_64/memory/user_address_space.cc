#include "arch/x86_64/user_address_space.h"

#include "arch/x86_64/memory.h"

namespace tessera::x86_64 {

uint64_t UserAddressSpaceBuilder::allocate_zeroed_frame()
{
    const boot::PhysicalRange page = free_.allocate(PageSize, PageBits);
    if (page.is_empty())
        return 0;
    __builtin_memset(physical_to_virtual<void>(page.start.raw()), 0, PageSize);
    return page.start.raw();
}

bool UserAddressSpaceBuilder::create()
{
    pml4_ = allocate_zeroed_frame();
    if (pml4_ == 0)
        return false;
    copy_kernel_mappings(physical_to_virtual<uint64_t>(pml4_));
    return true;
}

uint64_t* UserAddressSpaceBuilder::next_level(uint64_t* table, unsigned index, unsigned level, uint64_t vaddr)
{
    if (!(table[index] & pte::Present)) {
        if (table_count_ == MaxTables)
            return nullptr;
        const uint64_t physical = allocate_zeroed_frame();
        if (physical == 0)
            return nullptr;
        const unsigned shift = PageBits + 9 * level;
        tables_[table_count_++] = {level, physical, vaddr & ~((uint64_t{1} << shift) - 1)};
        // Intermediate entries grant everything; the leaf decides (Intel SDM vol. 3A, 4.6).
        table[index] = physical | pte::Present | pte::Writable | pte::User;
    }
    return physical_to_virtual<uint64_t>(table[index] & pte::AddressMask);
}

bool UserAddressSpaceBuilder::map(uint64_t vaddr, uint64_t physical, PageAccess access)
{
    if (vaddr % PageSize != 0 || vaddr >= UserTop)
        return false;
    uint64_t* table = physical_to_virtual<uint64_t>(pml4_);
    for (unsigned level = 3; level >= 1; level--) {
        const unsigned index = table_index(vaddr, level);
        table = next_level(table, index, level, vaddr);
        if (table == nullptr)
            return false;
    }
    uint64_t& leaf = table[table_index(vaddr, 0)];
    if (leaf & pte::Present)
        return false;
    leaf = physical | pte::Present | pte::User | (access.writable ? pte::Writable : 0) |
           (access.executable ? 0 : no_execute_flag());
    return true;
}

} // namespace tessera::x86_64
