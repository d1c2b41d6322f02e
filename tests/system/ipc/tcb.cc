// TCB invocations on the real kernel: priorities against the authority's MCP, Suspend and Resume,
// Read/Write/CopyRegisters, SetIPCBuffer, SetSpace, Configure, Bind/UnbindNotification and
// SetTLSBase, each with its error cases.
#include "suite.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/vspace/vspace.h>

namespace tessera::vspace {
VSpace* process_vspace();
}

namespace ipc_suite {
namespace {

using tessera::libos::raw;

constexpr seL4_Word RegisterCount = sizeof(seL4_UserContext) / sizeof(seL4_Word);

seL4_CPtr tcb_of(const Thread* t)
{
    return t ? raw(t->tcb()) : seL4_CPtr{seL4_CapNull};
}

void priorities()
{
    Thread* target = create_stopped();
    Thread* authority = create_stopped();
    const seL4_CPtr self = seL4_CapInitThreadTCB;
    check_error("tcb.set_priority.within_mcp", seL4_TCB_SetPriority(tcb_of(target), self, 100),
                seL4_NoError);
    check_error("tcb.set_priority.above_max", seL4_TCB_SetPriority(tcb_of(target), self, 256),
                seL4_RangeError);
    check_error("tcb.set_mc_priority", seL4_TCB_SetMCPriority(tcb_of(authority), self, 50),
                seL4_NoError);
    check_error("tcb.set_priority.above_authority_mcp",
                seL4_TCB_SetPriority(tcb_of(target), tcb_of(authority), 51), seL4_RangeError);
    check_error("tcb.set_priority.at_authority_mcp",
                seL4_TCB_SetPriority(tcb_of(target), tcb_of(authority), 50), seL4_NoError);
    check_error("tcb.set_mc_priority.above_authority_mcp",
                seL4_TCB_SetMCPriority(tcb_of(target), tcb_of(authority), 60), seL4_RangeError);
    check_error("tcb.set_sched_params", seL4_TCB_SetSchedParams(tcb_of(target), self, 90, 80),
                seL4_NoError);
    check_error("tcb.set_sched_params.priority_above_mcp",
                seL4_TCB_SetSchedParams(tcb_of(target), tcb_of(authority), 40, 70),
                seL4_RangeError);
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    check_error("tcb.set_priority.authority_not_tcb",
                seL4_TCB_SetPriority(tcb_of(target), endpoint, 10), seL4_InvalidCapability);

    // Without words the call is truncated.
    seL4_SetCap(0, self);
    const seL4_MessageInfo_t reply =
        seL4_Call(tcb_of(target), seL4_MessageInfo_new(TCBSetPriority, 0, 1, 0));
    check("tcb.set_priority.truncated", seL4_MessageInfo_get_label(reply) == seL4_TruncatedMessage);
    destroy(target);
    destroy(authority);
}

// A worker that counts one step per signal.
struct Stepper {
    seL4_CPtr notification;
    volatile seL4_Word steps;
};

void* step_on_signal(void* argument)
{
    Stepper& s = *static_cast<Stepper*>(argument);
    for (;;) {
        seL4_Wait(s.notification, nullptr);
        s.steps = s.steps + 1;
    }
    return nullptr;
}

void suspend_resume_and_registers()
{
    Stepper stepper{make(seL4_NotificationObject), 0};
    Thread* worker = spawn(step_on_signal, &stepper);
    seL4_Signal(stepper.notification);
    let_run(WorkerPriority);
    const bool stepped = stepper.steps == 1;
    check_error("tcb.suspend", seL4_TCB_Suspend(tcb_of(worker)), seL4_NoError);
    seL4_Signal(stepper.notification);
    let_run(WorkerPriority);
    check("tcb.suspended_does_not_run", stepped && stepper.steps == 1);

    seL4_UserContext registers{};
    check_error("tcb.read_registers",
                seL4_TCB_ReadRegisters(tcb_of(worker), 0, 0, RegisterCount, &registers),
                seL4_NoError);
    check("tcb.read_registers.values", registers.rsp < worker->stack_top().raw() &&
                                           registers.rsp > worker->reservation().base.raw() &&
                                           registers.rip != 0 &&
                                           registers.fs_base == worker->tls_base().raw());
    check_error("tcb.read_registers.count_zero",
                seL4_TCB_ReadRegisters(tcb_of(worker), 0, 0, 0, &registers), seL4_RangeError);
    check_error("tcb.read_registers.count_too_big",
                seL4_TCB_ReadRegisters(tcb_of(worker), 0, 0, RegisterCount + 1, &registers),
                seL4_RangeError);
    check_error("tcb.read_registers.self",
                seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &registers),
                seL4_IllegalOperation);

    // CopyRegisters into a stopped thread gives it the same registers.
    Thread* copy = create_stopped();
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    check_error("tcb.copy_registers",
                seL4_TCB_CopyRegisters(tcb_of(copy), tcb_of(worker), 0, 0, 1, 1, 0), seL4_NoError);
    seL4_UserContext copied{};
    (void)seL4_TCB_ReadRegisters(tcb_of(copy), 0, 0, RegisterCount, &copied);
    check("tcb.copy_registers.same_values",
          copied.rip == registers.rip && copied.rsp == registers.rsp &&
              copied.rdi == registers.rdi && copied.r12 == registers.r12);
    check_error("tcb.copy_registers.source_not_tcb",
                seL4_TCB_CopyRegisters(tcb_of(copy), endpoint, 0, 0, 1, 1, 0),
                seL4_InvalidCapability);
    destroy(copy);

    // Resume restarts the interrupted Wait, which finds the signal that came while suspended.
    check_error("tcb.resume", seL4_TCB_Resume(tcb_of(worker)), seL4_NoError);
    let_run(WorkerPriority);
    check("tcb.resumed_runs_again", stepper.steps == 2);
    destroy(worker);
}

// WriteRegisters starts a thread wherever it says; without resume it stays stopped.
struct Flag {
    volatile seL4_Word value;
    seL4_CPtr parking;
};

void set_flag_and_park(Flag* flag)
{
    flag->value = 0x5e7;
    for (;;)
        seL4_Wait(flag->parking, nullptr);
}

void write_registers()
{
    Thread* worker = create_stopped();
    static Flag flag;
    flag = Flag{0, make(seL4_NotificationObject)};
    seL4_UserContext registers{};
    registers.rip = reinterpret_cast<seL4_Word>(&set_flag_and_park);
    registers.rsp = worker->stack_top().raw() - sizeof(seL4_Word);
    registers.rdi = reinterpret_cast<seL4_Word>(&flag);
    registers.fs_base = worker->tls_base().raw();
    registers.rflags = tessera::libos::InitialUserFlags;
    check_error("tcb.write_registers",
                seL4_TCB_WriteRegisters(tcb_of(worker), 0, 0, RegisterCount, &registers),
                seL4_NoError);
    let_run(WorkerPriority);
    const bool stayed = flag.value == 0;
    (void)seL4_TCB_Resume(tcb_of(worker));
    let_run(WorkerPriority);
    check("tcb.write_registers.runs_only_after_resume", stayed && flag.value == 0x5e7);
    destroy(worker);

    worker = create_stopped();
    flag.value = 0;
    registers.rsp = worker->stack_top().raw() - sizeof(seL4_Word);
    registers.fs_base = worker->tls_base().raw();
    (void)seL4_TCB_WriteRegisters(tcb_of(worker), 1, 0, RegisterCount, &registers);
    let_run(WorkerPriority);
    check("tcb.write_registers.resume_flag_starts", flag.value == 0x5e7);
    destroy(worker);
}

void spaces_and_buffers()
{
    Thread* worker = create_stopped();
    const seL4_CPtr tcb = tcb_of(worker);
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    auto* space = tessera::vspace::process_vspace();
    const auto* mapping = space->lookup(worker->ipc_buffer());
    const seL4_CPtr frame = mapping ? raw(mapping->frame.cap) : seL4_CPtr{seL4_CapNull};
    const seL4_Word buffer = worker->ipc_buffer().raw();

    check_error("tcb.set_ipc_buffer", seL4_TCB_SetIPCBuffer(tcb, buffer, frame), seL4_NoError);
    check_error("tcb.set_ipc_buffer.misaligned", seL4_TCB_SetIPCBuffer(tcb, buffer + 8, frame),
                seL4_AlignmentError);
    check_error("tcb.set_ipc_buffer.not_a_frame", seL4_TCB_SetIPCBuffer(tcb, buffer, endpoint),
                seL4_IllegalOperation);

    check_error("tcb.set_space",
                seL4_TCB_SetSpace(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0),
                seL4_NoError);
    check_error("tcb.set_space.cspace_not_cnode",
                seL4_TCB_SetSpace(tcb, 0, endpoint, 0, seL4_CapInitThreadVSpace, 0),
                seL4_IllegalOperation);
    check_error("tcb.set_space.vspace_not_pml4",
                seL4_TCB_SetSpace(tcb, 0, seL4_CapInitThreadCNode, 0, endpoint, 0),
                seL4_IllegalOperation);
    check_error("tcb.configure",
                seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                   buffer, frame),
                seL4_NoError);
    check_error("tcb.configure.vspace_not_pml4",
                seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, endpoint, 0, buffer, frame),
                seL4_IllegalOperation);

    check_error("tcb.set_tls_base", seL4_TCB_SetTLSBase(tcb, 0x1234000), seL4_NoError);
    seL4_UserContext registers{};
    (void)seL4_TCB_ReadRegisters(tcb, 0, 0, RegisterCount, &registers);
    check("tcb.set_tls_base.read_back", registers.fs_base == 0x1234000);
    destroy(worker);
}

void binding()
{
    Thread* first = create_stopped();
    Thread* second = create_stopped();
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr other = make(seL4_NotificationObject);
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    check_error("tcb.bind_notification", seL4_TCB_BindNotification(tcb_of(first), notification),
                seL4_NoError);
    check_error("tcb.bind_notification.already_bound_tcb",
                seL4_TCB_BindNotification(tcb_of(first), other), seL4_IllegalOperation);
    check_error("tcb.bind_notification.already_bound_notification",
                seL4_TCB_BindNotification(tcb_of(second), notification), seL4_IllegalOperation);
    check_error("tcb.bind_notification.not_a_notification",
                seL4_TCB_BindNotification(tcb_of(second), endpoint), seL4_IllegalOperation);
    check_error("tcb.unbind_notification", seL4_TCB_UnbindNotification(tcb_of(first)),
                seL4_NoError);
    check_error("tcb.unbind_notification.not_bound", seL4_TCB_UnbindNotification(tcb_of(first)),
                seL4_IllegalOperation);
    check_error("tcb.bind_notification.after_unbind",
                seL4_TCB_BindNotification(tcb_of(second), notification), seL4_NoError);
    destroy(first);
    destroy(second);
}

} // namespace

void tcb_tests()
{
    priorities();
    suspend_resume_and_registers();
    write_registers();
    spaces_and_buffers();
    binding();
}

} // namespace ipc_suite
