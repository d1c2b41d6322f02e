// The exits of the IPC system calls: Send, NBSend, Recv, NBRecv, Call, Reply, ReplyRecv, Yield,
// and Signal/Wait/Poll on notifications, bound ones included. Each probe's registers are
// checked against seL4's rules: only the message registers a message's length covers change.
#include "register_scenarios.h"

namespace register_suite {
namespace {

using namespace ipc_suite;

const seL4_Word After = address_of(probe_syscall_after);

void* run_probe(void* probe)
{
    probe_syscall(static_cast<Probe*>(probe));
    return nullptr;
}

// Sends and receives between the root task and a worker, on endpoints and notifications.
void send_receive_exits()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr badged = mint(endpoint, seL4_AllRights, 0x42);
    static Probe receiver, sender;
    seL4_Word words[4];

    fill(receiver, 1, seL4_SysRecv, endpoint, 0x1234);
    Thread* worker = spawn(run_probe, &receiver);
    let_run(WorkerPriority); // the worker blocks in Recv
    fill(sender, 2, seL4_SysSend, badged, info_word(7, 2));
    probe_syscall(&sender);
    check_registers("registers.send.sender_keeps_all", sender.out, sysret_exit(sender, After));
    join(worker);
    destroy(worker);
    RegisterSet expected = sysret_exit(receiver, After);
    sent_words(sender, words);
    receive(expected, 0x42, info_word(7, 2), words, 2);
    check_registers("registers.recv.two_words_leave_r9_r15", receiver.out, expected);

    // NBSend with nobody waiting: the message is dropped, the sender's registers stay.
    static Probe nbsend;
    fill(nbsend, 3, seL4_SysNBSend, badged, info_word(1, 4));
    probe_syscall(&nbsend);
    check_registers("registers.nbsend.nobody_waiting", nbsend.out, sysret_exit(nbsend, After));

    // NBRecv with nobody sending: badge 0, everything else (the info word too) as it was.
    static Probe nbrecv;
    fill(nbrecv, 4, seL4_SysNBRecv, endpoint, 0x4321);
    probe_syscall(&nbrecv);
    expected = sysret_exit(nbrecv, After);
    expected.rdi = 0;
    check_registers("registers.nbrecv.nothing_sets_only_badge", nbrecv.out, expected);
}

void notification_exits()
{
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr badged = mint(notification, seL4_AllRights, 0x5);
    static Probe signal, wait, poll, blocked;

    fill(signal, 5, seL4_SysSend, badged, info_word(3, 3));
    probe_syscall(&signal);
    check_registers("registers.signal.keeps_all", signal.out, sysret_exit(signal, After));

    fill(wait, 6, seL4_SysRecv, notification, 0x6666);
    probe_syscall(&wait);
    RegisterSet expected = sysret_exit(wait, After);
    expected.rdi = 0x5; // the notification word; rsi and the message registers stay
    check_registers("registers.wait.active_sets_only_badge", wait.out, expected);

    fill(poll, 7, seL4_SysNBRecv, notification, 0x7777);
    probe_syscall(&poll);
    expected = sysret_exit(poll, After);
    expected.rdi = 0;
    check_registers("registers.poll.idle_sets_only_badge", poll.out, expected);

    fill(blocked, 8, seL4_SysRecv, notification, 0x8888);
    Thread* worker = spawn(run_probe, &blocked);
    let_run(WorkerPriority); // blocks on the notification
    seL4_Signal(badged);
    join(worker);
    destroy(worker);
    expected = sysret_exit(blocked, After);
    expected.rdi = 0x5;
    check_registers("registers.wait.blocked_sets_only_badge", blocked.out, expected);
}

// A notification bound to a thread that waits on an endpoint: the signal ends the Recv with the
// notification word in rdi and leaves rsi and the message registers alone.
void bound_notification_exits()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr badged = mint(notification, seL4_AllRights, 0x9);
    static Probe blocked, pending;

    Thread* worker = create_stopped();
    (void)seL4_TCB_BindNotification(raw_cap(worker), notification);
    fill(blocked, 9, seL4_SysRecv, endpoint, 0x9999);
    (void)worker->start(run_probe, &blocked);
    let_run(WorkerPriority); // blocks on the endpoint
    seL4_Signal(badged);
    join(worker);
    RegisterSet expected = sysret_exit(blocked, After);
    expected.rdi = 0x9;
    check_registers("registers.recv.bound_signal_while_blocked", blocked.out, expected);
    (void)seL4_TCB_UnbindNotification(raw_cap(worker));
    destroy(worker);

    // Signalled before the Recv: the Recv completes at once through the bound notification.
    (void)seL4_TCB_BindNotification(seL4_CapInitThreadTCB, notification);
    seL4_Signal(badged);
    fill(pending, 10, seL4_SysRecv, endpoint, 0xaaaa);
    probe_syscall(&pending);
    expected = sysret_exit(pending, After);
    expected.rdi = 0x9;
    check_registers("registers.recv.bound_signal_pending", pending.out, expected);
    (void)seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB);
}

void yield_and_reply_exits()
{
    static Probe yield, reply;
    fill(yield, 11, seL4_SysYield, 0x11, 0x22);
    probe_syscall(&yield);
    check_registers("registers.yield.keeps_all", yield.out, sysret_exit(yield, After));

    // No caller to reply to: nothing happens, nothing changes.
    fill(reply, 12, seL4_SysReply, 0x33, info_word(1, 4));
    probe_syscall(&reply);
    check_registers("registers.reply.no_caller_keeps_all", reply.out, sysret_exit(reply, After));
}

// The server's side of call_reply_exits: six probes in a row, each replying to the previous call.
struct Server {
    seL4_CPtr endpoint;
    Probe probes[6];
    seL4_Word received_buffer[2]; // MR4 and MR5 of the six-word call
    seL4_Word unwrapped_badge;    // caps_or_badges[0] of the call that sent its own endpoint
};
constexpr seL4_Word ServerBufferWords[2] = {0xb4b4, 0xb5b5};
constexpr seL4_Word ClientBufferWords[2] = {0xc4c4, 0xc5c5};

void* serve(void* argument)
{
    Server& s = *static_cast<Server*>(argument);
    probe_syscall(&s.probes[0]); // Recv: the first call (3 words)
    probe_syscall(&s.probes[1]); // ReplyRecv: reply 1 word, receive an empty call
    probe_syscall(&s.probes[2]); // ReplyRecv: empty reply, receive 6 words
    s.received_buffer[0] = seL4_GetMR(4);
    s.received_buffer[1] = seL4_GetMR(5);
    seL4_SetMR(4, ServerBufferWords[0]);
    seL4_SetMR(5, ServerBufferWords[1]);
    probe_syscall(&s.probes[3]); // ReplyRecv: reply 6 words, receive 2
    probe_syscall(&s.probes[4]); // ReplyRecv: reply 2 words, receive 1 word and a capability
    s.unwrapped_badge = seL4_GetBadge(0);
    probe_syscall(&s.probes[5]); // Reply: empty
    return nullptr;
}

// Call and ReplyRecv between the root task (priority 255) and a server (200), on the fastpath
// (up to four words, no capability) and the slow path (six words; a capability).
void call_reply_exits()
{
    static Server server;
    static Probe calls[5];
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr badged = mint(endpoint, seL4_AllRights, 0x77);
    server.endpoint = endpoint;
    const seL4_Word reply_info[6] = {0, info_word(0x21, 1), info_word(0x22, 0), info_word(0x23, 6),
                                     info_word(0x24, 2), info_word(0x25, 0)};
    fill(server.probes[0], 20, seL4_SysRecv, endpoint, 0xdead);
    for (unsigned i = 1; i < 5; i++)
        fill(server.probes[i], 20 + i, seL4_SysReplyRecv, endpoint, reply_info[i]);
    fill(server.probes[5], 25, seL4_SysReply, 0xbeef, reply_info[5]);
    Thread* worker = spawn(serve, &server);
    let_run(WorkerPriority); // the server waits in its Recv

    const seL4_Word call_info[5] = {info_word(0x11, 3), info_word(0x12, 0), info_word(0x13, 6),
                                    info_word(0x14, 2), info_word(0x15, 1, 1)};
    for (unsigned i = 0; i < 5; i++)
        fill(calls[i], 30 + i, seL4_SysCall, badged, call_info[i]);
    probe_syscall(&calls[0]);
    probe_syscall(&calls[1]);
    seL4_SetMR(4, ClientBufferWords[0]);
    seL4_SetMR(5, ClientBufferWords[1]);
    probe_syscall(&calls[2]);
    const bool buffer_replied = seL4_GetMR(4) == ServerBufferWords[0] && seL4_GetMR(5) == ServerBufferWords[1];
    probe_syscall(&calls[3]);
    seL4_SetCap(0, badged); // the endpoint the call crosses: it arrives as its badge
    probe_syscall(&calls[4]);
    join(worker);
    destroy(worker);

    // The caller: each reply's words, badge 0, the reply's info; the rest of its own registers.
    const char* const caller_names[5] = {
        "registers.call.fastpath_reply_one_word", "registers.call.fastpath_reply_empty",
        "registers.call.slowpath_reply_six_words", "registers.call.fastpath_reply_two_words",
        "registers.call.slowpath_cap_reply_empty"};
    seL4_Word words[4];
    for (unsigned i = 0; i < 5; i++) {
        RegisterSet expected = sysret_exit(calls[i], After);
        const Probe& replier = server.probes[i + 1];
        sent_words(replier, words);
        receive(expected, 0, replier.in.rsi, words, seL4_MessageInfo_get_length({{replier.in.rsi}}));
        check_registers(caller_names[i], calls[i].out, expected);
    }
    libos_suite::check("registers.call.slowpath_reply_buffer_words", buffer_replied);

    // The server: each call's words, badge and info; the reply it sent changes none of its own.
    const char* const server_names[5] = {
        "registers.recv.fastpath_three_words", "registers.replyrecv.empty_call_keeps_all_mrs",
        "registers.replyrecv.slowpath_six_words", "registers.replyrecv.fastpath_two_words",
        "registers.replyrecv.slowpath_unwrapped_cap"};
    for (unsigned i = 0; i < 5; i++) {
        RegisterSet expected = sysret_exit(server.probes[i], After);
        sent_words(calls[i], words);
        const seL4_Word info = i == 4 ? info_word(0x15, 1, 1, 1) : calls[i].in.rsi;
        receive(expected, 0x77, info, words, seL4_MessageInfo_get_length({{info}}));
        check_registers(server_names[i], server.probes[i].out, expected);
    }
    libos_suite::check("registers.replyrecv.slowpath_buffer_words",
                       server.received_buffer[0] == ClientBufferWords[0] &&
                           server.received_buffer[1] == ClientBufferWords[1]);
    libos_suite::check("registers.replyrecv.unwrapped_badge", server.unwrapped_badge == 0x77);
    check_registers("registers.reply.to_caller_keeps_all", server.probes[5].out,
                    sysret_exit(server.probes[5], After));
}

} // namespace

void ipc_exit_tests()
{
    send_receive_exits();
    notification_exits();
    bound_notification_exits();
    yield_and_reply_exits();
    call_reply_exits();
}

} // namespace register_suite
