// Which objects each op refers to, by op kind (docs/system-description.md, the op table).
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

template <class... Indices> uint32_t put(uint32_t (&out)[MaxOpReferences], Indices... indices)
{
    static_assert(sizeof...(indices) <= MaxOpReferences);
    uint32_t count = 0;
    ((out[count++] = indices), ...);
    return count;
}

} // namespace

uint32_t op_references(const union tessera_spec_op& op, uint32_t (&out)[MaxOpReferences])
{
    switch (op.kind) {
    case TESSERA_OP_ASSIGN_ASID: return put(out, op.assign_asid.vspace);
    case TESSERA_OP_MAP_TABLE: return put(out, op.map_table.vspace, op.map_table.table);
    case TESSERA_OP_FILL_FRAME: return put(out, op.fill_frame.frame);
    case TESSERA_OP_MAP_FRAME: return put(out, op.map_frame.vspace, op.map_frame.frame);
    case TESSERA_OP_WRITE_PADDR: return put(out, op.write_paddr.frame, op.write_paddr.source);
    case TESSERA_OP_PCI_DESCRIBE: return put(out, op.pci_describe.frame);
    case TESSERA_OP_IRQ_SET_NOTIFICATION:
        return put(out, op.irq_set_notification.handler, op.irq_set_notification.notification);
    case TESSERA_OP_MINT_CAP: return put(out, op.mint_cap.cnode, op.mint_cap.object);
    case TESSERA_OP_TCB_CONFIGURE:
        return put(out, op.tcb_configure.tcb, op.tcb_configure.cspace, op.tcb_configure.vspace,
                   op.tcb_configure.ipc_buffer);
    case TESSERA_OP_TCB_SET_PRIORITY: return put(out, op.tcb_set_priority.tcb);
    case TESSERA_OP_TCB_WRITE_REGISTERS: return put(out, op.tcb_write_registers.tcb);
    case TESSERA_OP_TCB_BIND_NOTIFICATION:
        return put(out, op.tcb_bind_notification.tcb, op.tcb_bind_notification.notification);
    case TESSERA_OP_TCB_SET_NAME: return put(out, op.tcb_set_name.tcb);
    case TESSERA_OP_TCB_RESUME: return put(out, op.tcb_resume.tcb);
    case TESSERA_OP_TCB_SET_FLAGS: return put(out, op.tcb_set_flags.tcb);
    case TESSERA_OP_FILL_BOOTINFO: return put(out, op.fill_bootinfo.frame);
    case TESSERA_OP_DOMAIN_SET: return put(out, op.domain_set.tcb);
    case TESSERA_OP_SVM_VCPU_BIND:
        return put(out, op.svm_vcpu_bind.vcpu, op.svm_vcpu_bind.tcb, op.svm_vcpu_bind.guest);
    default: return 0; // CREATE_OBJECT, IRQ_GET_* and IOPORT_ISSUE create, PCI_FIND finds: no references
    }
}

} // namespace tessera::spec
