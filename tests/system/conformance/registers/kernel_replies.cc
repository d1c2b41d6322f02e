// The exits of invocations of kernel objects: seL4 answers a Call with badge 0, its info word and
// only the message registers the answer fills (replyFromKernel_success_empty/_error, the
// methods that return words); a Send or NBSend gets no answer and keeps every register.
#include "register_scenarios.h"

namespace register_suite {
namespace {

using namespace ipc_suite;

const seL4_Word After = address_of(probe_syscall_after);

void kernel_call(const char* name, seL4_Word seed, seL4_CPtr object, seL4_Word info, seL4_Word reply_info,
                 std::initializer_list<seL4_Word> reply_words, seL4_Word mr0 = 0)
{
    static Probe probe;
    fill(probe, seed, seL4_SysCall, object, info);
    if (mr0 != 0)
        probe.in.r10 = mr0;
    probe_syscall(&probe);
    RegisterSet expected = sysret_exit(probe, After);
    seL4_Word words[4] = {};
    seL4_Word length = 0;
    for (seL4_Word word : reply_words)
        words[length++] = word;
    receive(expected, 0, reply_info, words, length);
    check_registers(name, probe.out, expected);
}

} // namespace

void kernel_reply_tests()
{
    Thread* stopped = create_stopped();
    const seL4_CPtr tcb = raw_cap(stopped);
    const seL4_CPtr frame = make(seL4_X86_4K);
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_Word paddr = seL4_X86_Page_GetAddress(frame).paddr;

    // Success without words: badge 0 and info 0, message registers untouched.
    kernel_call("registers.invocation.success_empty", 40, tcb, info_word(TCBSuspend, 0), 0, {});
    kernel_call("registers.invocation.call_on_notification", 41, notification, info_word(0, 2), 0, {});
    // Success with one word: MR0 only.
    kernel_call("registers.invocation.success_one_word", 42, frame, info_word(X86PageGetAddress, 0),
                info_word(0, 1), {paddr});
    // Errors: the error's label and only its detail words.
    kernel_call("registers.invocation.error_without_words", 43, tcb, info_word(0, 3),
                info_word(seL4_IllegalOperation, 0), {});
    seL4_SetCap(0, seL4_CapInitThreadTCB);
    kernel_call("registers.invocation.error_two_words", 44, seL4_CapInitThreadTCB,
                info_word(TCBSetPriority, 1, 1), info_word(seL4_RangeError, 2), {0, seL4_MaxPrio}, 300);

    // Send and NBSend get no answer, even an error.
    static Probe send, nbsend;
    fill(send, 45, seL4_SysSend, tcb, info_word(0, 2));
    probe_syscall(&send);
    check_registers("registers.invocation.send_error_unanswered", send.out, sysret_exit(send, After));
    fill(nbsend, 46, seL4_SysNBSend, frame, info_word(X86PageGetAddress, 0));
    probe_syscall(&nbsend);
    check_registers("registers.invocation.nbsend_success_unanswered", nbsend.out, sysret_exit(nbsend, After));
    destroy(stopped);
}

} // namespace register_suite
