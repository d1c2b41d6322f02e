// New objects start with full rights, no badge, no guard and no mapping, as in seL4.

#include "untyped/create_object.h"

#include <tessera/abi/object_types.h>
#include <tessera/abi/svm.h>

#include "cap/cap_arch_kinds.h"
#include "cdt/object_hooks.h"
#include "tcb/tcb.h"

namespace tessera::core {

namespace {

Cap make_object_cap(Word type, PAddr base, Word user_size, Device device)
{
    switch (type) {
    case seL4_TCBObject:
        // The non-zero initial state (time slice, arch registers) is set by `initialise_tcb`
        // and the arch hook `created`.
        return TcbCap::make(base).cap();
    case seL4_EndpointObject:
        return EndpointCap::make(base, Badge{0}, CapRights::all()).cap();
    case seL4_NotificationObject:
        return NotificationCap::make(base, Badge{0}, CapRights::all()).cap();
    case seL4_CapTableObject:
        return CNodeCap::make(base, static_cast<unsigned>(user_size), 0, 0).cap();
    case seL4_UntypedObject:
        return UntypedCap::make(base, SizeBits{static_cast<unsigned>(user_size)}, device, 0).cap();
    case seL4_X86_4K:
        return FrameCap::make(base, FrameSize::Small, VmRights::ReadWrite, device).cap();
    case seL4_X86_LargePageObject:
        return FrameCap::make(base, FrameSize::Large, VmRights::ReadWrite, device).cap();
    case seL4_X64_HugePageObject:
        return FrameCap::make(base, FrameSize::Huge, VmRights::ReadWrite, device).cap();
    case seL4_X86_PageTableObject:
        return PageTableCap::make(base).cap();
    case seL4_X86_PageDirectoryObject:
        return PageDirectoryCap::make(base).cap();
    case seL4_X86_PDPTObject:
        return PdptCap::make(base).cap();
    case TESSERA_X86_SVMVCPUObject:
        return SvmVcpuCap::make(base).cap(); // the arch hook `created` writes its VMCB
    case seL4_X64_PML4Object:
        return Pml4Cap::make(base).cap(); // the arch hook `created` adds the kernel's mappings
    default:
        return Cap{};
    }
}

} // namespace

Cap create_object(CoreContext& ctx, Word type, PAddr base, Word user_size, Device device)
{
    const Cap cap = make_object_cap(type, base, user_size, device);
    if (type == seL4_TCBObject)
        ctx.window.at<Tcb>(base)->thread.time_slice = TimeSliceTicks;
    if (!cap.is_null())
        ctx.hooks.created(cap);
    return cap;
}

} // namespace tessera::core
