// Notifications: Signal, Wait and Poll, badges OR-ed while pending, one waiter woken per signal,
// and a bound notification waking its thread out of an endpoint receive.
#include "suite.h"

namespace ipc_suite {
namespace {

struct Waiter {
    seL4_CPtr notification;
    volatile bool woken;
    volatile seL4_Word badge;
};

void* wait_once(void* argument)
{
    Waiter& w = *static_cast<Waiter*>(argument);
    seL4_Word badge = 0;
    seL4_Wait(w.notification, &badge);
    w.badge = badge;
    w.woken = true;
    return nullptr;
}

void signal_wait_poll()
{
    const seL4_CPtr notification = make(seL4_NotificationObject);
    seL4_CPtr bits[3];
    for (seL4_Word i = 0; i < 3; i++)
        bits[i] = mint(notification, seL4_AllRights, seL4_Word{1} << (i * 20));

    seL4_Word badge = 0x77;
    (void)seL4_Poll(notification, &badge);
    check("ntfn.poll_nothing_pending_gives_0", badge == 0);

    seL4_Signal(bits[1]);
    seL4_Wait(notification, &badge);
    check("ntfn.signal_then_wait_returns_badge", badge == (seL4_Word{1} << 20));

    for (seL4_CPtr bit : bits)
        seL4_Signal(bit);
    seL4_Signal(bits[0]); // twice: OR, not a count
    (void)seL4_Poll(notification, &badge);
    check("ntfn.badges_ored", badge == (1 | (seL4_Word{1} << 20) | (seL4_Word{1} << 40)));
    (void)seL4_Poll(notification, &badge);
    check("ntfn.wait_clears_pending", badge == 0);

    Waiter waiter{notification, false, 0};
    Thread* worker = spawn(wait_once, &waiter);
    let_run(WorkerPriority);
    const bool blocked = !waiter.woken;
    seL4_Signal(bits[2]);
    finish({worker});
    check("ntfn.wait_blocks_until_signal",
          blocked && waiter.woken && waiter.badge == (seL4_Word{1} << 40));

    // One signal wakes one waiter (the first); the next wakes the other.
    Waiter first{notification, false, 0}, second{notification, false, 0};
    Thread* a = spawn(wait_once, &first);
    let_run(WorkerPriority);
    Thread* b = spawn(wait_once, &second);
    let_run(WorkerPriority);
    seL4_Signal(bits[0]);
    let_run(WorkerPriority);
    const bool one_woken = first.woken && !second.woken;
    seL4_Signal(bits[1]);
    finish({a, b});
    check("ntfn.one_signal_wakes_first_waiter",
          one_woken && second.woken && first.badge == 1 && second.badge == (seL4_Word{1} << 20));
}

void bound_notification()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr badged = mint(notification, seL4_AllRights, 0x8);

    // A signal wakes the bound thread out of its endpoint receive, with the notification's word.
    Exchange waiter{endpoint, 0, false, 0, 0, 0};
    Thread* worker = create_stopped();
    check_error("ntfn.bound.bind",
                seL4_TCB_BindNotification(tessera::libos::raw(worker->tcb()), notification),
                seL4_NoError);
    (void)worker->start(receive_word, &waiter);
    let_run(WorkerPriority);
    const bool blocked = !waiter.returned;
    seL4_Signal(badged);
    join(worker);
    check("ntfn.bound.signal_wakes_endpoint_receive",
          blocked && waiter.returned && waiter.badge == 0x8);
    destroy(worker);

    // A signal already pending completes the receive at once; an endpoint message still arrives.
    worker = create_stopped();
    (void)seL4_TCB_BindNotification(tessera::libos::raw(worker->tcb()), notification);
    seL4_Signal(badged);
    waiter = Exchange{endpoint, 0, false, 0, 0, 0};
    (void)worker->start(receive_word, &waiter);
    join(worker);
    check("ntfn.bound.pending_signal_completes_receive", waiter.returned && waiter.badge == 0x8);
    destroy(worker);

    worker = create_stopped();
    (void)seL4_TCB_BindNotification(tessera::libos::raw(worker->tcb()), notification);
    waiter = Exchange{endpoint, 0, false, 0, 0, 0};
    (void)worker->start(receive_word, &waiter);
    let_run(WorkerPriority);
    seL4_SetMR(0, 0x600d);
    seL4_Send(endpoint, message(5, 1));
    join(worker);
    check("ntfn.bound.endpoint_message_still_arrives",
          waiter.label == 5 && waiter.received_word == 0x600d && waiter.badge == 0);
    destroy(worker);
}

} // namespace

void notification_tests()
{
    signal_wait_poll();
    bound_notification();
}

} // namespace ipc_suite
