// The compiler's last steps: each PD's thread configured, VCPUs bound, every thread resumed and
// the domain schedule started, in that order, so nothing runs before its world is complete.
#include "compiler_steps.h"

namespace tessera::sdf::compile {

void Compiler::configure_threads()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        if (!pds_[i].manager_template) // no thread: the manager starts children from it
            configure_thread(i);
}

void Compiler::configure_thread(size_t i)
{
    SpecBuilder& spec = result_.spec;
    const ProtectionDomain& pd = pds_[i];
    const PdObjects& o = objects_[i];
    union tessera_spec_op op = blank_op(TESSERA_OP_TCB_CONFIGURE);
    op.tcb_configure.tcb = raw(o.tcb);
    op.tcb_configure.cspace = raw(o.cnode);
    op.tcb_configure.vspace = raw(o.vspace);
    op.tcb_configure.ipc_buffer = raw(o.ipc_buffer);
    op.tcb_configure.ipc_buffer_vaddr = pd.ipc_buffer_vaddr();
    // Without a parent no fault handler: the kernel reports the fault with the thread's name.
    op.tcb_configure.fault_endpoint = pd.parent ? TESSERA_PD_SLOT_FAULT_ENDPOINT : 0;
    spec.add(op);

    op = blank_op(TESSERA_OP_TCB_SET_PRIORITY);
    op.tcb_set_priority.tcb = raw(o.tcb);
    op.tcb_set_priority.priority = static_cast<uint32_t>(pd.priority);
    op.tcb_set_priority.max_priority = static_cast<uint32_t>(pd.priority);
    spec.add(op);

    if (!pd.fpu) {
        op = blank_op(TESSERA_OP_TCB_SET_FLAGS);
        op.tcb_set_flags.tcb = raw(o.tcb);
        op.tcb_set_flags.set = TESSERA_TCB_FLAG_FPU_DISABLED;
        spec.add(op);
    }
    if (system_.domains) { // before it starts, so it first runs in its own domain's turn
        op = blank_op(TESSERA_OP_DOMAIN_SET);
        op.domain_set.tcb = raw(o.tcb);
        op.domain_set.domain = static_cast<uint32_t>(pd.domain_id);
        spec.add(op);
    }

    op = blank_op(TESSERA_OP_TCB_BIND_NOTIFICATION);
    op.tcb_bind_notification.tcb = raw(o.tcb);
    op.tcb_bind_notification.notification = raw(o.notification);
    spec.add(op);

    op = blank_op(TESSERA_OP_TCB_SET_NAME);
    op.tcb_set_name.tcb = raw(o.tcb);
    op.tcb_set_name.name = spec.string(pd.name);
    spec.add(op);

    op = blank_op(TESSERA_OP_TCB_WRITE_REGISTERS);
    op.tcb_write_registers.tcb = raw(o.tcb);
    op.tcb_write_registers.instruction_pointer = programs_[i].entry();
    op.tcb_write_registers.stack_pointer = StackTop;
    // The PD runtime learns where its IPC buffer is from rdi (libmicrokit sets it up first).
    op.tcb_write_registers.argument = pd.ipc_buffer_vaddr();
    spec.add(op);
}

// VCPUs run on their VMM's configured thread, in their guest's memory.
void Compiler::bind_vcpus()
{
    for (const GuestObjects& g : guests_)
        for (const auto& vcpu : g.vcpus) {
            union tessera_spec_op op = blank_op(TESSERA_OP_SVM_VCPU_BIND);
            op.svm_vcpu_bind.vcpu = raw(vcpu.second);
            op.svm_vcpu_bind.tcb = raw(objects_[g.pd].tcb);
            op.svm_vcpu_bind.guest = raw(g.guest_memory);
            result_.spec.add(op);
        }
}

// Passive PDs start like the others: without MCS there is no scheduling context to take away
// after init() (docs/decisions.md, "Passive protection domains without MCS").
void Compiler::resume_threads()
{
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (pds_[i].manager_template)
            continue;
        union tessera_spec_op op = blank_op(TESSERA_OP_TCB_RESUME);
        op.tcb_resume.tcb = raw(objects_[i].tcb);
        result_.spec.add(op);
    }
}

// The domain schedule, at index_shift in the kernel's table; the loader starts it last.
void Compiler::schedule_domains()
{
    if (!system_.domains)
        return;
    const Domains& domains = *system_.domains;
    for (size_t e = 0; e < domains.schedule.size(); ++e) {
        union tessera_spec_op op = blank_op(TESSERA_OP_DOMAIN_SCHEDULE);
        op.domain_schedule.index = static_cast<uint32_t>(domains.index_shift + e);
        op.domain_schedule.domain = static_cast<uint32_t>(domains.schedule[e].domain_id);
        op.domain_schedule.duration = domains.schedule[e].ticks;
        result_.spec.add(op);
    }
    union tessera_spec_op op = blank_op(TESSERA_OP_DOMAIN_START);
    op.domain_start.index = static_cast<uint32_t>(domains.index_shift + domains.start_index);
    result_.spec.add(op);
}

} // namespace tessera::sdf::compile
