// What tells the debug kernel from the release kernel, seen from a root task: a refused invocation
// (the debug kernel logs it, the release kernel does not) and a debug system call (answered by the
// debug kernel, an UnknownSyscall fault on the release kernel, as on seL4's release build). The
// program prints through COM1 by an I/O port capability, since the release kernel has no
// seL4_DebugPutChar, and ends through the exit device; tests/system/boot/CMakeLists.txt checks its
// lines against each kernel.
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/libc.h>
#include <tessera/runtime.h>

namespace {

constexpr seL4_Word Com1 = 0x3f8;
constexpr seL4_Word Com1Last = 0x3ff;
constexpr seL4_Uint8 Depth = seL4_WordBits;
constexpr seL4_Word ProbePriority = 100; // below the root task: the probe runs once it waits

seL4_CPtr com1 = seL4_CapNull;
seL4_Word probe_answer = 0;
alignas(16) unsigned char probe_stack[4096];

void com1_put(void*, char c)
{
    if (c == '\n')
        (void)seL4_X86_IOPort_Out8(com1, Com1, '\r');
    (void)seL4_X86_IOPort_Out8(com1, Com1, seL4_Word(c));
}

// seL4_DebugCapIdentify by its number, in registers only: the probe has no IPC buffer and no
// thread-local storage. The debug kernel answers seL4's TCB tag, 12, and the probe then stops on
// ud2 (a UserException fault); the release kernel stops it at the call (UnknownSyscall).
[[noreturn]] void probe_entry()
{
    seL4_Word cap = seL4_CapInitThreadTCB;
    seL4_Word info = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    x64_sys_send_recv(seL4_Word(seL4_SysDebugCapIdentify), cap, &cap, 0, &info, &mr0, &mr1, &mr2, &mr3);
    probe_answer = cap;
    __builtin_trap();
}

seL4_CPtr untyped_of_at_least(const seL4_BootInfo& info, seL4_Word size_bits)
{
    for (seL4_Word i = 0; i < info.untyped.end - info.untyped.start; i++) {
        const seL4_UntypedDesc& d = info.untypedList[i];
        if (!d.isDevice && d.sizeBits >= size_bits)
            return info.untyped.start + i;
    }
    return seL4_CapNull;
}

bool start_probe(const seL4_BootInfo& info, seL4_CPtr tcb, seL4_CPtr endpoint)
{
    const seL4_CPtr untyped = untyped_of_at_least(info, seL4_TCBBits + 1);
    if (untyped == seL4_CapNull ||
        seL4_Untyped_Retype(untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1) != seL4_NoError ||
        seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, endpoint, 1) !=
            seL4_NoError)
        return false;
    if (seL4_TCB_Configure(tcb, endpoint, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                           seL4_CapNull) != seL4_NoError ||
        seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, ProbePriority) != seL4_NoError)
        return false;
    seL4_UserContext registers{};
    registers.rip = reinterpret_cast<seL4_Word>(&probe_entry);
    registers.rsp = reinterpret_cast<seL4_Word>(probe_stack + sizeof probe_stack) - 8; // as after a call
    return seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof registers / sizeof(seL4_Word), &registers) == seL4_NoError;
}

} // namespace

int main()
{
    const seL4_BootInfo* info = tessera_boot_info();
    const seL4_CPtr first = info->empty.start;
    com1 = first;
    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, Com1, Com1Last, seL4_CapInitThreadCNode, com1,
                                     Depth) != seL4_NoError)
        return 1; // no way to print: the exit status says it
    tessera_set_output(com1_put, nullptr);
    printf("\nvariant: printing through COM1's I/O port capability\n");

    // A TCB method on a CNode: refused with seL4_IllegalOperation on every kernel.
    const seL4_Error refused = seL4_Error(seL4_TCB_Suspend(seL4_CapInitThreadCNode));
    printf("variant: TCB_Suspend on a CNode answered %d\n", int(refused));

    if (!start_probe(*info, first + 1, first + 2)) {
        printf("variant: cannot start the probe thread\n");
        return 2;
    }
    seL4_Word badge = 0;
    const seL4_MessageInfo_t message = seL4_Recv(first + 2, &badge);
    const seL4_Word label = seL4_MessageInfo_get_label(message);
    if (label == seL4_Fault_UserException)
        printf("variant: seL4_DebugCapIdentify answered %lu\n", (unsigned long)probe_answer);
    else if (label == seL4_Fault_UnknownSyscall)
        printf("variant: seL4_DebugCapIdentify raised an UnknownSyscall fault for system call %ld\n",
               (long)seL4_GetMR(seL4_UnknownSyscall_Syscall));
    else
        printf("variant: the probe stopped with message label %lu\n", (unsigned long)label);
    (void)seL4_TCB_Suspend(first + 1);
    printf("variant: done\n");
    return 0;
}
