// The notification object (32 bytes, seL4_NotificationBits): a word of OR-ed badges, a queue of
// waiting threads and an optional bound TCB; seL4's Signal, Wait, Poll, bind and cancellation.
#pragma once

#include <tessera/abi/object_sizes.h>

#include "base/types.h"
#include "cap/cap_kinds.h"
#include "endpoint/endpoint.h"
#include "tcb/tcb.h"

namespace tessera::core {

enum class NotificationState : Word { Idle = 0, Waiting = 1, Active = 2 };

class Notification {
public:
    Tcb* head() const { return head_; }
    Tcb* tail() const { return reinterpret_cast<Tcb*>(tail_and_state_ & ~StateMask); }
    NotificationState state() const
    {
        return static_cast<NotificationState>(tail_and_state_ & StateMask);
    }
    void set_state(NotificationState s)
    {
        tail_and_state_ = (tail_and_state_ & ~StateMask) | Word(s);
    }
    Word message() const { return message_; }
    void set_message(Word m) { message_ = m; }
    Tcb* bound_tcb() const { return bound_; }
    void set_bound_tcb(Tcb* t) { bound_ = t; }
    void append(Tcb& tcb);
    void remove(Tcb& tcb);

private:
    void set_tail(Tcb* t)
    {
        tail_and_state_ = reinterpret_cast<Word>(t) | (tail_and_state_ & StateMask);
    }
    static constexpr Word StateMask = 3;
    Tcb* head_ = nullptr;
    Word tail_and_state_ = 0;
    Word message_ = 0;
    Tcb* bound_ = nullptr;
};
static_assert(sizeof(Notification) == (1u << seL4_NotificationBits));

// seL4 sendSignal: `badge` is OR-ed in, or delivered to a waiter / the bound thread.
void send_signal(IpcContext& ctx, Notification& ntfn, Badge badge);
// seL4 receiveSignal: Wait (Blocking::Yes) or Poll (Blocking::No).
void receive_signal(IpcContext& ctx, Tcb& thread, Notification& ntfn, Blocking blocking);
// seL4 completeSignal: hands a pending badge to `tcb` (its bound thread).
void complete_signal(IpcContext& ctx, Notification& ntfn, Tcb& tcb);
void bind_notification(Tcb& tcb, Notification& ntfn);
void unbind_notification(Tcb& tcb);
// seL4 cancelSignal: takes `tcb` off the waiting queue; it becomes Inactive.
void cancel_signal(IpcContext& ctx, Tcb& tcb, Notification& ntfn);
// seL4 cancelAllSignals: every waiter restarts (notification being deleted).
void cancel_all_signals(IpcContext& ctx, Notification& ntfn);

} // namespace tessera::core
