// Physical extent of each capability kind; sizes are the ABI's object sizes.

#include "cap/cap_region.h"

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/svm.h>

#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"

namespace tessera::core {

bool is_physical(Cap cap)
{
    switch (cap.type()) {
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Tcb:
    case CapType::Zombie:
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

Region region_of(Cap cap)
{
    switch (cap.type()) {
    case CapType::Untyped: {
        UntypedCap u{cap};
        return {u.base(), u.size_bits()};
    }
    case CapType::Endpoint:
        return {EndpointCap{cap}.object(), SizeBits{seL4_EndpointBits}};
    case CapType::Notification:
        return {NotificationCap{cap}.object(), SizeBits{seL4_NotificationBits}};
    case CapType::CNode: {
        CNodeCap c{cap};
        return {c.object(), SizeBits{c.radix() + seL4_SlotBits}};
    }
    case CapType::Tcb:
        return {TcbCap{cap}.object(), SizeBits{seL4_TCBBits}};
    case CapType::Zombie: {
        ZombieCap z{cap};
        return {z.slots(), z.size_bits()};
    }
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

} // namespace tessera::core
