// x86_64's kernel objects for the portable invocation path (core/api/arch_object.h): paging
// structures and ASIDs, IRQs and I/O ports, SVM vCPUs.
#include "api/arch_object.h"

#include "arch/x86_64/devices.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/vspace.h"
#include "ipc/ipc_context.h"

namespace tessera::core {

Result<Progress> invoke_arch_object(IpcContext& ipc, Word label, const Invocation& inv, Slot& slot,
                                    [[maybe_unused]] Tcb& caller, KernelReply& reply)
{
    CoreContext& ctx = ipc.core;
    switch (slot.cap.type()) {
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::AsidControl:
    case CapType::AsidPool:
        return x86_64::invoke_vspace_object(ctx, label, inv, slot, reply.words, reply.length);
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::IoPortControl:
    case CapType::IoPort:
        return x86_64::invoke_device_object(ctx, label, inv, slot, reply.words, reply.length); // issue 6
    case CapType::SvmVcpu: // issue 24
        return x86_64::invoke_svm_vcpu(ctx, label, inv, slot, reply.words, reply.length);
    default:
        return SyscallError::illegal_operation().because("not an invocable object");
    }
}

} // namespace tessera::core
