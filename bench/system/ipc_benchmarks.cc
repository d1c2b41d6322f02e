// IPC benchmarks: seL4_Call + seL4_ReplyRecv round trips, one-way Send/Recv, a Signal to a
// thread waiting in another address space, and a Signal + Wait round trip between two.
//
// Round trips are timed by the caller (the root task) around seL4_Call, against an echo server
// at the same priority that answers with a message of the same length. One-way figures need the
// receiver's clock: a sender below the receiver's priority takes the start timestamp and sends,
// the receiver, which the kernel switches to at once, takes the end timestamp; the root task
// waits above both until the receiver has the samples.
#include <sel4/sel4.h>
#include <tessera/runtime.h>

#include "bench_thread.h"
#include "benchmarks.h"
#include "kernel_objects.h"
#include "suite.h"

namespace tessera::bench {
namespace {

constexpr seL4_Word CapBadge = 0x5eed;

// What the threads of the running benchmark share; written by the root task before they start.
struct Shared {
    seL4_CPtr object;     // the endpoint or notification the benchmark crosses
    seL4_CPtr done;       // notification the one-way receiver signals when the set is full
    seL4_Word length;     // message words
    SampleSet* samples;
    volatile Timestamp start;
    volatile seL4_Word last_caps_unwrapped;  // what the echo server last received
    volatile seL4_Word last_badge;
};
Shared shared;

void echo_server(seL4_Word)
{
    seL4_MessageInfo_t info = seL4_Recv(shared.object, nullptr);
    for (;;) {
        shared.last_caps_unwrapped = seL4_MessageInfo_get_capsUnwrapped(info);
        shared.last_badge = seL4_GetBadge(0);
        info = seL4_ReplyRecv(shared.object, seL4_MessageInfo_new(0, 0, 0, shared.length), nullptr);
    }
}

void one_way_receiver(seL4_Word)
{
    for (;;) {
        seL4_Recv(shared.object, nullptr);
        const Timestamp end = end_timestamp();
        shared.samples->add(ticks_between(shared.start, end));
        if (shared.samples->is_full())
            seL4_Signal(shared.done);
    }
}

void send_sender(seL4_Word)
{
    while (!shared.samples->is_full()) {
        shared.start = start_timestamp();
        seL4_Send(shared.object, seL4_MessageInfo_new(0, 0, 0, 0));
    }
}

void signal_sender(seL4_Word)
{
    while (!shared.samples->is_full()) {
        shared.start = start_timestamp();
        seL4_Signal(shared.object);
    }
}

// The other half of notify_roundtrip_cross_as: answers each signal on `object` with one on
// `done`, the second notification.
void notify_partner(seL4_Word)
{
    for (;;) {
        seL4_Wait(shared.object, nullptr);
        seL4_Signal(shared.done);
    }
}

struct Spaces {
    seL4_CPtr endpoint;
    seL4_CPtr badged_endpoint;  // the capability the slow-path round trip transfers
    seL4_CPtr notification;
    seL4_CPtr done;
    seL4_CPtr other_vspace;
};

enum class CapTransfer { None, OneCap };

void round_trip(Suite& suite, KernelObjects& objects, const Spaces& spaces, const char* name, seL4_CPtr vspace,
                seL4_Word length, CapTransfer transfer)
{
    shared.object = spaces.endpoint;
    shared.length = length;
    shared.last_caps_unwrapped = 0;
    BenchThread& server = BenchThread::slot(0);
    const seL4_Error error = server.start(objects, {vspace, seL4_MaxPrio, seL4_CapNull, echo_server, 0});
    if (error != seL4_NoError) {
        server.destroy();
        return suite.refused(name, "threads (TCB invocations)", error);
    }
    const seL4_Word extra_caps = transfer == CapTransfer::OneCap ? 1 : 0;
    const seL4_MessageInfo_t request = seL4_MessageInfo_new(0, 0, extra_caps, length);
    for (seL4_Word i = 0; i < length; i++)
        seL4_SetMR(i, i);
    seL4_SetCap(0, spaces.badged_endpoint);
    // One untimed call shows whether the kernel does IPC at all, and that the capability went
    // through the transfer path: a badged capability to the endpoint the message crosses is
    // unwrapped into its badge (seL4 Reference Manual, "Capability Transfer").
    const seL4_MessageInfo_t first = seL4_Call(spaces.endpoint, request);
    if (seL4_MessageInfo_get_label(first) != 0 || seL4_MessageInfo_get_length(first) != length) {
        server.destroy();
        return suite.refused(name, "seL4_Call to an endpoint", int(seL4_MessageInfo_get_label(first)));
    }
    if (transfer == CapTransfer::OneCap && (shared.last_caps_unwrapped != 1 || shared.last_badge != CapBadge)) {
        server.destroy();
        return suite.fail(name, "the capability did not arrive unwrapped with its badge");
    }
    suite.measure(name, [&] {
        const Timestamp start = start_timestamp();
        const seL4_MessageInfo_t reply = seL4_Call(spaces.endpoint, request);
        const Timestamp end = end_timestamp();
        return Sample{seL4_MessageInfo_get_length(reply) == length, ticks_between(start, end)};
    });
    server.destroy();
}

// The receiver in the other address space one priority below the root task, the sender below it.
void one_way(Suite& suite, KernelObjects& objects, const Spaces& spaces, const char* name, seL4_CPtr object,
             ThreadEntry sender_entry)
{
    shared.object = object;
    shared.done = spaces.done;
    shared.samples = &suite.samples();
    suite.samples().restart();
    BenchThread& receiver = BenchThread::slot(0);
    BenchThread& sender = BenchThread::slot(1);
    seL4_Error error =
        receiver.start(objects, {spaces.other_vspace, seL4_MaxPrio - 1, seL4_CapNull, one_way_receiver, 0});
    if (error == seL4_NoError)
        error = sender.start(objects, {seL4_CapInitThreadVSpace, seL4_MaxPrio - 2, seL4_CapNull, sender_entry, 0});
    if (error == seL4_NoError)
        seL4_Wait(spaces.done, nullptr);
    sender.destroy();
    receiver.destroy();
    if (error != seL4_NoError)
        return suite.refused(name, "threads (TCB invocations)", error);
    suite.report(name);
}

// Two threads at the same priority pass a signal back and forth through two notifications, as
// Linux's eventfd_roundtrip passes a count: the root task signals the partner's notification and
// waits on its own; the partner, in the other address space, waits and answers. Each sample is
// two Signals, two Waits and two switches.
void notify_round_trip(Suite& suite, KernelObjects& objects, const Spaces& spaces, const char* name)
{
    shared.object = spaces.notification;
    shared.done = spaces.done;
    BenchThread& partner = BenchThread::slot(0);
    const seL4_Error error =
        partner.start(objects, {spaces.other_vspace, seL4_MaxPrio, seL4_CapNull, notify_partner, 0});
    if (error != seL4_NoError) {
        partner.destroy();
        return suite.refused(name, "threads (TCB invocations)", error);
    }
    suite.measure(name, [&] {
        const Timestamp start = start_timestamp();
        seL4_Signal(spaces.notification);
        seL4_Word badge = 0;
        seL4_Wait(spaces.done, &badge);
        const Timestamp end = end_timestamp();
        return Sample{true, ticks_between(start, end)};
    });
    partner.destroy();
}

} // namespace

void run_ipc_benchmarks(Suite& suite, KernelObjects& objects)
{
    static const char* const Names[] = {
        "ipc_roundtrip_same_as",  "ipc_roundtrip_cross_as", "ipc_roundtrip_cross_as_10w",
        "ipc_roundtrip_cross_as_120w", "ipc_roundtrip_slowpath", "ipc_oneway", "notify_cross_as",
        "notify_roundtrip_cross_as",
    };
    Spaces spaces{};
    const Made endpoint = objects.make(seL4_EndpointObject);
    const Made notification = objects.make(seL4_NotificationObject);
    const Made done = objects.make(seL4_NotificationObject);
    const Made badged = endpoint.ok() ? objects.mint(endpoint.cap, CapBadge) : endpoint;
    OtherAddressSpace other;
    seL4_Error error = endpoint.ok() ? notification.error : endpoint.error;
    if (error == seL4_NoError)
        error = done.ok() ? badged.error : done.error;
    if (error == seL4_NoError)
        error = other.create(objects, *tessera_boot_info());
    if (error != seL4_NoError) {
        for (const char* name : Names)
            suite.refused(name, "the second address space", error);
        return;
    }
    spaces = {endpoint.cap, badged.cap, notification.cap, done.cap, other.vspace()};

    round_trip(suite, objects, spaces, "ipc_roundtrip_same_as", seL4_CapInitThreadVSpace, 0, CapTransfer::None);
    round_trip(suite, objects, spaces, "ipc_roundtrip_cross_as", other.vspace(), 0, CapTransfer::None);
    round_trip(suite, objects, spaces, "ipc_roundtrip_cross_as_10w", other.vspace(), 10, CapTransfer::None);
    round_trip(suite, objects, spaces, "ipc_roundtrip_cross_as_120w", other.vspace(), 120, CapTransfer::None);
    round_trip(suite, objects, spaces, "ipc_roundtrip_slowpath", other.vspace(), 0, CapTransfer::OneCap);
    one_way(suite, objects, spaces, "ipc_oneway", spaces.endpoint, send_sender);
    one_way(suite, objects, spaces, "notify_cross_as", spaces.notification, signal_sender);
    notify_round_trip(suite, objects, spaces, "notify_roundtrip_cross_as");
}

} // namespace tessera::bench
