// Endpoint semantics beyond the round trip: Send, NBSend, Recv and NBRecv blocking or not, FIFO
// order of blocked senders, deleting an endpoint under blocked threads, CancelBadgedSends, and a
// Reply with nobody to reply to.
#include "suite.h"

namespace ipc_suite {
namespace {

void blocking_calls()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);

    Exchange send{endpoint, 0x5e4d, false, 0, 0, 0};
    Thread* sender = spawn(send_word, &send);
    let_run(WorkerPriority);
    const bool blocked = !send.returned;
    seL4_Word badge = 1;
    (void)seL4_Recv(endpoint, &badge);
    const bool delivered = seL4_GetMR(0) == 0x5e4d;
    finish({sender});
    check("ipc.send.blocks_until_received", blocked && delivered && send.returned);

    Exchange receive{endpoint, 0, false, 0, 0, 0};
    Thread* receiver = spawn(receive_word, &receive);
    let_run(WorkerPriority);
    const bool waiting = !receive.returned;
    seL4_SetMR(0, 0xabc);
    seL4_Send(endpoint, message(9, 1));
    finish({receiver});
    check("ipc.recv.blocks_until_sent",
          waiting && receive.returned && receive.label == 9 && receive.received_word == 0xabc);

    // NBSend with nobody waiting is dropped: a later NBRecv finds nothing.
    seL4_SetMR(0, 0xd0d0);
    seL4_NBSend(endpoint, message(3, 1));
    badge = 0x55;
    (void)seL4_NBRecv(endpoint, &badge);
    check("ipc.nbsend.no_receiver_dropped", badge == 0);

    // NBSend to a waiting receiver is delivered.
    const seL4_CPtr badged = mint(endpoint, seL4_AllRights, 0x31);
    receive = Exchange{endpoint, 0, false, 0, 0, 0};
    receiver = spawn(receive_word, &receive);
    let_run(WorkerPriority);
    seL4_SetMR(0, 0xfeed);
    seL4_NBSend(badged, message(4, 1));
    finish({receiver});
    check("ipc.nbsend.waiting_receiver_gets_it",
          receive.label == 4 && receive.received_word == 0xfeed && receive.badge == 0x31);

    // NBRecv takes a blocked sender's message, and with nobody there returns badge 0.
    send = Exchange{badged, 0x77, false, 0, 0, 0};
    sender = spawn(send_word, &send);
    let_run(WorkerPriority);
    badge = 0;
    (void)seL4_NBRecv(endpoint, &badge);
    const bool took = badge == 0x31 && seL4_GetMR(0) == 0x77;
    finish({sender});
    check("ipc.nbrecv.takes_blocked_sender", took);
    badge = 0x99;
    (void)seL4_NBRecv(endpoint, &badge);
    check("ipc.nbrecv.nothing_gives_badge_0", badge == 0);

    // A Call through a capability with neither Grant nor GrantReply delivers the message but
    // makes no reply capability: the caller waits for ever, and the reply goes nowhere.
    const seL4_CPtr write_only = mint(endpoint, seL4_CapRights_new(0, 0, 0, 1), 0);
    Exchange call{write_only, 0x44, false, 0, 0, 0};
    Thread* caller = spawn(call_word, &call);
    (void)seL4_Recv(endpoint, &badge);
    const bool got = seL4_GetMR(0) == 0x44;
    seL4_Reply(message(0, 0));
    let_run(WorkerPriority);
    check("ipc.call.without_grant_reply_gets_no_reply", got && !call.returned);
    destroy(caller);
}

// Three senders at one priority queue in the order they blocked.
void sender_order()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    Exchange sends[3];
    Thread* senders[3];
    for (seL4_Word i = 0; i < 3; i++) {
        sends[i] = Exchange{mint(endpoint, seL4_AllRights, i + 1), 0, false, 0, 0, 0};
        senders[i] = spawn(send_word, &sends[i]);
        let_run(WorkerPriority); // each blocks before the next starts
    }
    bool in_order = true;
    for (seL4_Word i = 0; i < 3; i++) {
        seL4_Word badge = 0;
        (void)seL4_Recv(endpoint, &badge);
        in_order = in_order && badge == i + 1;
    }
    finish({senders[0], senders[1], senders[2]});
    check("ipc.send.fifo_order", in_order);
}

// Deleting the endpoint restarts its blocked threads: their system call runs again and finds an
// empty slot. Send returns, Call gets InvalidCapability, Recv raises a cap fault (receive phase).
void delete_under_blocked_threads()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr faults = make(seL4_EndpointObject);
    const seL4_CPtr fault_badged = mint(faults, seL4_AllRights, 0xfa);
    Exchange send{endpoint, 1, false, 0, 0, 0};
    Exchange call{endpoint, 2, false, 0, 0, 0};
    Thread* sender = spawn(send_word, &send);
    Thread* caller = spawn(call_word, &call);
    let_run(WorkerPriority);
    const bool blocked = !send.returned && !call.returned;
    check_error("ipc.delete_endpoint.delete", delete_cap(endpoint), seL4_NoError);
    finish({sender, caller});
    check("ipc.delete_endpoint.sender_restarts_and_returns", blocked && send.returned);
    check("ipc.delete_endpoint.caller_gets_invalid_capability",
          call.returned && call.label == seL4_InvalidCapability);

    const seL4_CPtr second = make(seL4_EndpointObject);
    Exchange receive{second, 0, false, 0, 0, 0};
    Thread* receiver = spawn(receive_word, &receive, WorkerPriority, fault_badged);
    let_run(WorkerPriority);
    (void)delete_cap(second);
    seL4_Word badge = 0;
    const seL4_MessageInfo_t fault = seL4_Recv(faults, &badge);
    check("ipc.delete_endpoint.receiver_cap_faults",
          badge == 0xfa && seL4_MessageInfo_get_label(fault) == seL4_Fault_CapFault &&
              seL4_GetMR(seL4_CapFault_Addr) == second &&
              seL4_GetMR(seL4_CapFault_InRecvPhase) == 1 &&
              seL4_GetMR(seL4_CapFault_LookupFailureType) == seL4_MissingCapability &&
              !receive.returned);
    destroy(receiver);
}

// CancelBadgedSends restarts the senders of one badge: they send again and so queue behind the
// sender of the other badge, which the first receive gets.
void cancel_badged_sends()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr one = mint(endpoint, seL4_AllRights, 1);
    const seL4_CPtr two = mint(endpoint, seL4_AllRights, 2);
    Exchange sends[3] = {
        {one, 10, false, 0, 0, 0}, {one, 11, false, 0, 0, 0}, {two, 20, false, 0, 0, 0}};
    Thread* senders[3];
    for (int i = 0; i < 3; i++) {
        senders[i] = spawn(send_word, &sends[i]);
        let_run(WorkerPriority);
    }
    const seL4_CPtr read_only = mint(one, seL4_CapRights_new(0, 0, 1, 0), 0);
    check_error("ipc.cancel_badged_sends.needs_full_rights",
                seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, read_only, seL4_WordBits),
                seL4_IllegalOperation);
    check_error("ipc.cancel_badged_sends.invoke",
                seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, one, seL4_WordBits),
                seL4_NoError);
    seL4_Word order[3] = {};
    for (seL4_Word& badge : order) {
        (void)seL4_Recv(endpoint, &badge);
        badge = badge * 100 + seL4_GetMR(0);
    }
    finish({senders[0], senders[1], senders[2]});
    // The two restarted senders may send again in either order (seL4 puts each restarted thread
    // at the head of its ready queue), but both come after badge 2.
    check("ipc.cancel_badged_sends.requeued_behind_other_badge",
          order[0] == 220 && order[1] + order[2] == 221 && order[1] != order[2]);
}

} // namespace

void endpoint_semantics_tests()
{
    blocking_calls();
    sender_order();
    delete_under_blocked_threads();
    cancel_badged_sends();
    // Nobody called: the reply has no caller capability to use and is ignored.
    seL4_Reply(message(0, 0));
    check("ipc.reply.without_caller_ignored", true);
}

} // namespace ipc_suite
