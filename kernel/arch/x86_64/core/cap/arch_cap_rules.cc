// x86_64's capability rules (seL4 arch/x86 object/objecttype.c and the x86_64 variant): frames,
// the four paging levels, ASID control and pools, I/O ports and the SVM VCPU (cap/arch_cap_rules.h).

#include "cap/arch_cap_rules.h"

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/svm.h>

#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"

namespace tessera::core {

namespace {

Result<Cap> derive_mapped_only(Cap cap, bool is_mapped)
{
    // An unmapped paging structure has no ASID/address yet; copying it would let two
    // capabilities map it independently, which seL4 forbids.
    if (!is_mapped)
        return SyscallError::illegal_operation().because("unmapped paging structure cannot be derived");
    return cap;
}

} // namespace

bool arch_is_physical(Cap cap)
{
    switch (cap.type()) {
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::Pml4:
    case CapType::AsidPool:
    case CapType::SvmVcpu:
        return true;
    default:
        return false;
    }
}

Region arch_region_of(Cap cap)
{
    switch (cap.type()) {
    case CapType::Frame: {
        FrameCap f{cap};
        return {f.object(), f.size_bits()};
    }
    case CapType::PageTable:
        return {PageTableCap{cap}.object(), SizeBits{seL4_PageTableBits}};
    case CapType::PageDirectory:
        return {PageDirectoryCap{cap}.object(), SizeBits{seL4_PageDirBits}};
    case CapType::Pdpt:
        return {PdptCap{cap}.object(), SizeBits{seL4_PDPTBits}};
    case CapType::Pml4:
        return {Pml4Cap{cap}.object(), SizeBits{seL4_PML4Bits}};
    case CapType::AsidPool:
        return {AsidPoolCap{cap}.object(), SizeBits{seL4_ASIDPoolBits}};
    case CapType::SvmVcpu:
        return {SvmVcpuCap{cap}.object(), SizeBits{TESSERA_SVMVCPUBits}};
    default:
        return {PAddr{0}, SizeBits{0}};
    }
}

bool arch_same_region_as(Cap a, Cap b)
{
    switch (a.type()) {
    case CapType::Frame:
        if (b.type() == CapType::Frame)
            return region_of(a).contains(region_of(b));
        return false;
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::Pml4:
    case CapType::AsidPool:
    case CapType::SvmVcpu:
        return b.type() == a.type() && region_of(a).base == region_of(b).base;
    case CapType::AsidControl:
        return b.type() == CapType::AsidControl;
    case CapType::IoPortControl:
        return b.type() == CapType::IoPortControl || b.type() == CapType::IoPort;
    case CapType::IoPort:
        return b.type() == CapType::IoPort && IoPortCap{a}.first() == IoPortCap{b}.first() &&
               IoPortCap{a}.last() == IoPortCap{b}.last();
    default:
        return false;
    }
}

bool arch_same_object_as(Cap a, Cap b)
{
    if (a.type() == CapType::IoPortControl && b.type() == CapType::IoPort)
        return false;
    if (a.type() == CapType::Frame && b.type() == CapType::Frame) {
        FrameCap fa{a}, fb{b};
        return fa.object() == fb.object() && fa.size() == fb.size() && fa.device() == fb.device();
    }
    return arch_same_region_as(a, b);
}

bool arch_is_cap_revocable(Cap derived, Cap source)
{
    return derived.type() == CapType::IoPort && source.type() == CapType::IoPortControl;
}

Result<Cap> arch_derive_cap(Cap cap)
{
    switch (cap.type()) {
    case CapType::PageTable:
        return derive_mapped_only(cap, PageTableCap{cap}.is_mapped());
    case CapType::PageDirectory:
        return derive_mapped_only(cap, PageDirectoryCap{cap}.is_mapped());
    case CapType::Pdpt:
        return derive_mapped_only(cap, PdptCap{cap}.is_mapped());
    case CapType::Pml4:
        return derive_mapped_only(cap, Pml4Cap{cap}.is_mapped());
    case CapType::Frame:
        // Each frame capability carries one mapping; a copy starts unmapped.
        return FrameCap{cap}.unmapped().cap();
    case CapType::IoPortControl:
        return Cap{};
    default:
        return cap;
    }
}

Cap arch_mask_cap_rights(CapRights rights, Cap cap)
{
    if (cap.type() == CapType::Frame) {
        FrameCap f{cap};
        return f.with_rights(mask_vm_rights(f.rights(), rights)).cap();
    }
    return cap;
}

} // namespace tessera::core
