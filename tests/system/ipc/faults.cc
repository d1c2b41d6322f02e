// Faults as seL4 fault messages: each type reaches the thread's fault endpoint with seL4's layout
// and badge, and the reply restarts the thread (VM and cap faults always; unknown syscall and user
// exception only with label 0, and then with the registers the reply carries).
#include "suite.h"

#include <stdio.h>
#include <tessera/vspace/vspace.h>

extern "C" {
seL4_Word ipc_fault_read(seL4_Word address);
void ipc_fault_write(seL4_Word address, seL4_Word value);
void ipc_fault_send(seL4_CPtr cptr);
void ipc_fault_recv(seL4_CPtr cptr);
void ipc_fault_unknown_syscall(void);
void ipc_fault_divide(void);
void ipc_fault_invalid_opcode(void);
extern const char ipc_fault_read_instruction[], ipc_fault_write_instruction[],
    ipc_fault_send_instruction[], ipc_fault_recv_instruction[],
    ipc_fault_unknown_syscall_instruction[], ipc_fault_divide_instruction[],
    ipc_fault_invalid_opcode_instruction[];
extern volatile seL4_Word ipc_fault_record[3];
}

namespace tessera::vspace {
VSpace* process_vspace();
}

namespace ipc_suite {
namespace {

constexpr seL4_Word FaultBadge = 0xfa017;
constexpr seL4_Word UserModeNotPresentRead = 0x4;  // x86 page-fault error code: U/S
constexpr seL4_Word UserModeNotPresentWrite = 0x6; // U/S | W/R
constexpr seL4_Word InstructionFetchBit = 0x10;
constexpr seL4_Word PresentBit = 0x1;
constexpr seL4_Word InterruptFlag = 0x200;
constexpr seL4_Word DivideErrorVector = 0;
constexpr seL4_Word InvalidOpcodeVector = 6;
// Resolves nowhere: the root CNode's guard is 52 zero bits.
constexpr seL4_CPtr BadCPtr = seL4_Word{1} << 63;

seL4_CPtr fault_endpoint = seL4_CapNull;
seL4_CPtr fault_endpoint_badged = seL4_CapNull;

seL4_Word address(const char* symbol)
{
    return reinterpret_cast<seL4_Word>(symbol);
}

// What a faulting worker does: `action(argument)`, then it marks itself finished (which only
// happens if the fault handler let it continue).
struct Faulting {
    void (*action)(seL4_Word argument);
    seL4_Word argument;
    volatile bool finished;
};

volatile seL4_Word last_read = 0;

void* run_action(void* faulting)
{
    Faulting& f = *static_cast<Faulting*>(faulting);
    f.action(f.argument);
    f.finished = true;
    return nullptr;
}

void read_word(seL4_Word address)
{
    last_read = ipc_fault_read(address);
}

void write_word(seL4_Word address)
{
    ipc_fault_write(address, 0x3217);
}

void jump_to(seL4_Word address)
{
    reinterpret_cast<void (*)()>(address)();
}

void unknown_syscall_action(seL4_Word)
{
    ipc_fault_unknown_syscall();
}

void divide_action(seL4_Word)
{
    ipc_fault_divide();
}

void invalid_opcode_action(seL4_Word)
{
    ipc_fault_invalid_opcode();
}

// Starts a worker running `action(argument)` with the suite's badged fault endpoint.
Thread* spawn_faulting(Faulting& faulting)
{
    return spawn(run_action, &faulting, WorkerPriority, fault_endpoint_badged);
}

struct Fault {
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr[seL4_UnknownSyscall_Length];
};

// Waits for the next fault message and keeps its words before anything else touches the buffer.
Fault receive_fault()
{
    Fault fault{};
    fault.info = seL4_Recv(fault_endpoint, &fault.badge);
    for (seL4_Word i = 0; i < seL4_UnknownSyscall_Length; i++)
        fault.mr[i] = seL4_GetMR(int(i));
    return fault;
}

bool is_fault(const Fault& f, seL4_Word type, seL4_Word length)
{
    const bool ok = f.badge == FaultBadge && seL4_MessageInfo_get_label(f.info) == type &&
                    seL4_MessageInfo_get_length(f.info) == length;
    if (!ok)
        printf("ipc.fault: got label %lu length %lu badge %lx, expected type %lu length %lu\n",
               seL4_MessageInfo_get_label(f.info), seL4_MessageInfo_get_length(f.info), f.badge,
               type, length);
    return ok;
}

bool sp_in_stack(const Thread* worker, seL4_Word sp)
{
    return sp < worker->stack_top().raw() && sp > worker->reservation().base.raw();
}

void vm_faults()
{
    using tessera::libos::VAddr;
    auto& space = *tessera::vspace::process_vspace();
    auto hole = space.reserve(1);
    if (!hole) {
        check("ipc.fault.vm_read_message", false);
        return;
    }
    const seL4_Word page = hole.value().base.raw();

    Faulting reading{read_word, page + 0x18, false};
    Thread* worker = spawn_faulting(reading);
    Fault f = receive_fault();
    check("ipc.fault.vm_read_message",
          is_fault(f, seL4_Fault_VMFault, seL4_VMFault_Length) &&
              f.mr[seL4_VMFault_IP] == address(ipc_fault_read_instruction) &&
              f.mr[seL4_VMFault_Addr] == page + 0x18 && f.mr[seL4_VMFault_PrefetchFault] == 0 &&
              f.mr[seL4_VMFault_FSR] == UserModeNotPresentRead);
    // Map the page, reply: the load runs again and finds the word.
    const bool mapped = bool(space.map_new_pages(VAddr{page}, 1, seL4_ReadWrite));
    if (mapped)
        *reinterpret_cast<volatile seL4_Word*>(page + 0x18) = 0x600df00d;
    seL4_Reply(message(0, 0));
    join(worker);
    destroy(worker);
    check("ipc.fault.vm_reply_restarts", mapped && reading.finished && last_read == 0x600df00d);
    (void)space.unmap(VAddr{page}, 1);

    Faulting writing{write_word, page + 8, false};
    worker = spawn_faulting(writing);
    f = receive_fault();
    check("ipc.fault.vm_write_message",
          is_fault(f, seL4_Fault_VMFault, seL4_VMFault_Length) &&
              f.mr[seL4_VMFault_IP] == address(ipc_fault_write_instruction) &&
              f.mr[seL4_VMFault_Addr] == page + 8 && f.mr[seL4_VMFault_PrefetchFault] == 0 &&
              f.mr[seL4_VMFault_FSR] == UserModeNotPresentWrite);
    destroy(worker);

    Faulting executing{jump_to, page, false};
    worker = spawn_faulting(executing);
    f = receive_fault();
    check("ipc.fault.vm_instruction_fetch_message",
          is_fault(f, seL4_Fault_VMFault, seL4_VMFault_Length) && f.mr[seL4_VMFault_IP] == page &&
              f.mr[seL4_VMFault_Addr] == page && f.mr[seL4_VMFault_PrefetchFault] == 1 &&
              (f.mr[seL4_VMFault_FSR] & UserModeNotPresentRead) != 0);
    if ((f.mr[seL4_VMFault_FSR] & InstructionFetchBit) == 0)
        printf("ipc.fault.vm_instruction_fetch_message: FSR %lx without the I/D bit\n",
               f.mr[seL4_VMFault_FSR]);
    destroy(worker);

    // A write to a read-only page: a present-page fault.
    const bool read_only = bool(space.map_new_pages(VAddr{page}, 1, seL4_CanRead));
    Faulting protected_write{write_word, page + 16, false};
    worker = spawn_faulting(protected_write);
    f = receive_fault();
    check("ipc.fault.vm_write_to_read_only_message",
          read_only && is_fault(f, seL4_Fault_VMFault, seL4_VMFault_Length) &&
              f.mr[seL4_VMFault_IP] == address(ipc_fault_write_instruction) &&
              f.mr[seL4_VMFault_Addr] == page + 16 && f.mr[seL4_VMFault_PrefetchFault] == 0 &&
              f.mr[seL4_VMFault_FSR] == (UserModeNotPresentWrite | PresentBit));
    destroy(worker);
    (void)space.release(hole.value());
}

void cap_faults()
{
    Faulting sending{ipc_fault_send, BadCPtr, false};
    Thread* worker = spawn_faulting(sending);
    Fault f = receive_fault();
    const seL4_Word length = seL4_MessageInfo_get_length(f.info);
    check("ipc.fault.cap_message",
          f.badge == FaultBadge && seL4_MessageInfo_get_label(f.info) == seL4_Fault_CapFault &&
              length >= 4 && length <= TESSERA_CAP_FAULT_MAX_LENGTH &&
              f.mr[seL4_CapFault_IP] == address(ipc_fault_send_instruction) &&
              f.mr[seL4_CapFault_Addr] == BadCPtr && f.mr[seL4_CapFault_InRecvPhase] == 0 &&
              f.mr[seL4_CapFault_LookupFailureType] == seL4_GuardMismatch &&
              f.mr[seL4_CapFault_BitsLeft] == seL4_WordBits);
    // The reply restarts the system call, which faults the same way again.
    seL4_Reply(message(0, 0));
    f = receive_fault();
    check("ipc.fault.cap_reply_restarts",
          seL4_MessageInfo_get_label(f.info) == seL4_Fault_CapFault &&
              f.mr[seL4_CapFault_IP] == address(ipc_fault_send_instruction) && !sending.finished);
    destroy(worker);

    Faulting receiving{ipc_fault_recv, BadCPtr, false};
    worker = spawn_faulting(receiving);
    f = receive_fault();
    check("ipc.fault.cap_in_receive_phase",
          seL4_MessageInfo_get_label(f.info) == seL4_Fault_CapFault &&
              f.mr[seL4_CapFault_IP] == address(ipc_fault_recv_instruction) &&
              f.mr[seL4_CapFault_Addr] == BadCPtr && f.mr[seL4_CapFault_InRecvPhase] == 1);
    destroy(worker);
}

void unknown_syscall()
{
    Faulting call{unknown_syscall_action, 0, false};
    Thread* worker = spawn_faulting(call);
    Fault f = receive_fault();
    const seL4_Word* r = f.mr;
    // RCX, R11 and SP are not checked: as on seL4, the `syscall` entry does not save them, so
    // they hold whatever an earlier exception left (docs/abi.md, "Registers on every way out").
    check("ipc.fault.unknown_syscall_message",
          is_fault(f, seL4_Fault_UnknownSyscall, seL4_UnknownSyscall_Length) &&
              r[seL4_UnknownSyscall_RAX] == 0xa0 && r[seL4_UnknownSyscall_RBX] == 0xb0 &&
              r[seL4_UnknownSyscall_RDX] == 0x77 && r[seL4_UnknownSyscall_RSI] == 0x51 &&
              r[seL4_UnknownSyscall_RDI] == 0xd1 && r[seL4_UnknownSyscall_RBP] == 0xb9 &&
              r[seL4_UnknownSyscall_R8] == 0x08 && r[seL4_UnknownSyscall_R9] == 0x09 &&
              r[seL4_UnknownSyscall_R10] == 0x10 && r[seL4_UnknownSyscall_R12] == 0x12 &&
              r[seL4_UnknownSyscall_R13] == 0x13 && r[seL4_UnknownSyscall_R14] == 0x14 &&
              r[seL4_UnknownSyscall_R15] == 0x15 &&
              r[seL4_UnknownSyscall_FaultIP] == address(ipc_fault_unknown_syscall_instruction) &&
              (r[seL4_UnknownSyscall_FLAGS] & InterruptFlag) != 0 &&
              r[seL4_UnknownSyscall_Syscall] == 0x77);
    // Label 0: the thread restarts with the registers of the reply, past the syscall.
    for (seL4_Word i = 0; i < seL4_UnknownSyscall_Length; i++)
        seL4_SetMR(int(i), f.mr[i]);
    seL4_SetMR(seL4_UnknownSyscall_RBX, 0xbeef);
    seL4_SetMR(seL4_UnknownSyscall_R12, 0xcafe);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, f.mr[seL4_UnknownSyscall_FaultIP] + 2);
    seL4_Reply(message(0, seL4_UnknownSyscall_Length));
    join(worker);
    check("ipc.fault.unknown_syscall_reply_sets_registers",
          call.finished && ipc_fault_record[1] == 0xbeef && ipc_fault_record[2] == 0xcafe);
    destroy(worker);

    // Any other label leaves the thread stopped.
    call.finished = false;
    worker = spawn_faulting(call);
    f = receive_fault();
    for (seL4_Word i = 0; i < seL4_UnknownSyscall_Length; i++)
        seL4_SetMR(int(i), f.mr[i]);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, f.mr[seL4_UnknownSyscall_FaultIP] + 2);
    seL4_Reply(message(1, seL4_UnknownSyscall_Length));
    let_run(WorkerPriority);
    check("ipc.fault.unknown_syscall_nonzero_label_stops", !call.finished);
    destroy(worker);
}

void user_exceptions()
{
    struct Case {
        const char* message_name;
        const char* reply_name;
        void (*action)(seL4_Word);
        const char* instruction;
        seL4_Word vector;
    };
    const Case cases[] = {
        {"ipc.fault.divide_error_message", "ipc.fault.divide_error_reply_resumes", divide_action,
         ipc_fault_divide_instruction, DivideErrorVector},
        {"ipc.fault.invalid_opcode_message", "ipc.fault.invalid_opcode_reply_resumes",
         invalid_opcode_action, ipc_fault_invalid_opcode_instruction, InvalidOpcodeVector},
    };
    for (const Case& c : cases) {
        Faulting run{c.action, 0, false};
        Thread* worker = spawn_faulting(run);
        Fault f = receive_fault();
        check(c.message_name, is_fault(f, seL4_Fault_UserException, seL4_UserException_Length) &&
                                  f.mr[seL4_UserException_FaultIP] == address(c.instruction) &&
                                  f.mr[seL4_UserException_SP] == ipc_fault_record[0] &&
                                  sp_in_stack(worker, f.mr[seL4_UserException_SP]) &&
                                  (f.mr[seL4_UserException_FLAGS] & InterruptFlag) != 0 &&
                                  f.mr[seL4_UserException_Number] == c.vector &&
                                  f.mr[seL4_UserException_Code] == 0);
        // Label 0 with FaultIP past the two-byte instruction: the thread carries on.
        seL4_SetMR(seL4_UserException_FaultIP, f.mr[seL4_UserException_FaultIP] + 2);
        seL4_SetMR(seL4_UserException_SP, f.mr[seL4_UserException_SP]);
        seL4_SetMR(seL4_UserException_FLAGS, f.mr[seL4_UserException_FLAGS]);
        seL4_Reply(message(0, 3));
        join(worker);
        check(c.reply_name, run.finished);
        destroy(worker);
    }
}

} // namespace

void fault_tests()
{
    fault_endpoint = make(seL4_EndpointObject);
    fault_endpoint_badged = mint(fault_endpoint, seL4_AllRights, FaultBadge);
    vm_faults();
    cap_faults();
    unknown_syscall();
    user_exceptions();

    // A fault endpoint without Grant or GrantReply cannot take faults: the thread just stops.
    const seL4_CPtr no_grant = mint(fault_endpoint, seL4_CapRights_new(0, 0, 1, 1), FaultBadge);
    Faulting run{invalid_opcode_action, 0, false};
    Thread* worker = spawn(run_action, &run, WorkerPriority, no_grant);
    let_run(WorkerPriority);
    seL4_Word badge = 0;
    (void)seL4_NBRecv(fault_endpoint, &badge);
    check("ipc.fault.handler_without_grant_stops_thread", !run.finished && badge == 0);
    destroy(worker);
}

} // namespace ipc_suite
