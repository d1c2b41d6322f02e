// The endpoint object (16 bytes, seL4_EndpointBits) and seL4's endpoint operations: send,
// receive, reply, cancellation. Callers (the kernel's syscall path) have already looked up and
// checked the invoked capability; these operations cannot fail.
#pragma once

#include <tessera/abi/object_sizes.h>

#include "base/types.h"
#include "cap/cap_kinds.h"
#include "tcb/tcb.h"
#include "tcb/thread_queue.h"

namespace tessera::core {

struct IpcContext;
class Slot;

enum class EndpointState : Word { Idle = 0, Send = 1, Receive = 2 };

// A queue of TCBs linked through TcbState::queue_next/prev; the state lives in the low bits of
// the tail pointer (TCBs are 2 KiB aligned), so the object is two words like seL4's.
class Endpoint {
public:
    Tcb* head() const { return head_; }
    Tcb* tail() const { return reinterpret_cast<Tcb*>(tail_and_state_ & ~StateMask); }
    EndpointState state() const { return static_cast<EndpointState>(tail_and_state_ & StateMask); }
    void set_state(EndpointState s) { tail_and_state_ = (tail_and_state_ & ~StateMask) | Word(s); }
    // state() == Receive and state() == Send as one bit each (the two bits are never both set):
    // the IPC fastpath tests a byte of memory, where the state's `and` and compare took two
    // instructions more.
    bool is_receiving() const { return (tail_and_state_ & Word(EndpointState::Receive)) != 0; }
    bool is_sending() const { return (tail_and_state_ & Word(EndpointState::Send)) != 0; }
    // Inline: the IPC fastpath queues and dequeues on every Call and ReplyRecv.
    void append(Tcb& tcb)
    {
        const QueueEnds ends = queue_append({head_, tail()}, tcb);
        head_ = ends.head;
        set_tail(ends.tail);
    }
    void remove(Tcb& tcb)
    {
        const QueueEnds ends = queue_remove({head_, tail()}, tcb);
        head_ = ends.head;
        set_tail(ends.tail);
        if (head_ == nullptr)
            set_state(EndpointState::Idle);
    }
    // A receiver queues: append, then the Receive state, in one store of the tail word. For the
    // ReplyRecv fastpath, whose endpoint (no sender queued) is nearly always empty: that case is
    // the straight line (laid out as append's else, it cost a jump out and back a side).
    void append_receiver(Tcb& tcb)
    {
        Tcb* const last = tail();
        tcb.thread.queue_prev = last;
        tcb.thread.queue_next = nullptr;
        if (last == nullptr) [[likely]]
            head_ = &tcb;
        else
            last->thread.queue_next = &tcb;
        tail_and_state_ = reinterpret_cast<Word>(&tcb) | Word(EndpointState::Receive);
    }
    // The head leaves: what remove(*head()) does, in fewer steps (the IPC fastpath's receiver
    // is always the head, and a head has no predecessor to unlink).
    // `head` is head(), which the caller has in a register: not loaded again after the stores
    // that came between (the compiler cannot tell they left the endpoint alone).
    void remove_head(Tcb& head)
    {
        Tcb& tcb = head;
        head_ = tcb.thread.queue_next;
        if (head_ != nullptr)
            head_->thread.queue_prev = nullptr;
        else
            tail_and_state_ = Word(EndpointState::Idle); // no tail
        tcb.thread.queue_next = nullptr;
    }

private:
    void set_tail(Tcb* t)
    {
        tail_and_state_ = reinterpret_cast<Word>(t) | (tail_and_state_ & StateMask);
    }
    static constexpr Word StateMask = 3;
    Tcb* head_ = nullptr;
    Word tail_and_state_ = 0;
};
static_assert(sizeof(Endpoint) == (1u << seL4_EndpointBits));

enum class Blocking { No, Yes };
enum class IsCall { No, Yes };

// seL4 sendIPC. `cap` is the invoked endpoint capability (badge, Grant, GrantReply).
void send_ipc(IpcContext& ctx, Tcb& sender, EndpointCap cap, Blocking blocking, IsCall call);
// seL4 receiveIPC (a bound notification with a pending signal completes first).
void receive_ipc(IpcContext& ctx, Tcb& receiver, EndpointCap cap, Blocking blocking);
// seL4 handleReply: replies through the thread's caller slot, if it holds a reply capability.
void reply(IpcContext& ctx, Tcb& replier);
// seL4 deleteCallerCap: drops an unused reply capability before a new receive.
void delete_caller_cap(IpcContext& ctx, Tcb& tcb);
// The system calls as the slow path performs them once the capability is checked. Recv and
// ReplyRecv first drop an unused reply capability, as seL4's handleRecv does.
void recv(IpcContext& ctx, Tcb& receiver, EndpointCap cap, Blocking blocking);
void call(IpcContext& ctx, Tcb& caller, EndpointCap cap);
void reply_receive(IpcContext& ctx, Tcb& thread, EndpointCap cap);

// seL4 doReplyTransfer: `receiver` is BlockedOnReply; `caller_slot` holds the reply cap used.
void do_reply_transfer(IpcContext& ctx, Tcb& sender, Tcb& receiver, Slot& caller_slot,
                       bool can_grant);
// seL4 cancelIPC: takes a blocked thread off whatever it waits on (it becomes Inactive,
// except BlockedOnReply, whose state the caller sets).
void cancel_ipc(IpcContext& ctx, Tcb& tcb);
// seL4 cancelAllIPC: every queued thread restarts (endpoint being deleted).
void cancel_all_ipc(IpcContext& ctx, Endpoint& endpoint);
// seL4 cancelBadgedSends: queued senders with `badge` restart.
void cancel_badged_sends(IpcContext& ctx, Endpoint& endpoint, Badge badge);
// seL4 setupReplyMaster: the master reply capability in the TCB's reply slot.
void setup_reply_master(IpcContext& ctx, Tcb& tcb);

} // namespace tessera::core
