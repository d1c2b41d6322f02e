// Capability transfer and badges: extraCaps into the receiver's receive slot, unwrapping of a
// badged capability to the endpoint the message crosses, the Grant right, an occupied receive
// slot, and the badge a receiver sees.
#include "suite.h"

namespace ipc_suite {
namespace {

// What a sending worker sends: one word and up to three capabilities.
struct Sending {
    seL4_CPtr endpoint;
    seL4_Word word;
    seL4_CPtr caps[seL4_MsgMaxExtraCaps];
    seL4_Word cap_count;
};

void* send_once(void* argument)
{
    const Sending& sending = *static_cast<const Sending*>(argument);
    for (seL4_Word i = 0; i < sending.cap_count; i++)
        seL4_SetCap(int(i), sending.caps[i]);
    seL4_SetMR(0, sending.word);
    seL4_Send(sending.endpoint, message(0x42, 1, sending.cap_count));
    return nullptr;
}

// What the root task received.
struct Received {
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word word;
};

// The root task receives on `endpoint` with `receive_slot` as its receive path while a worker
// sends `sending`.
Received receive_from_worker(seL4_CPtr endpoint, const Sending& sending, seL4_CPtr receive_slot)
{
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, receive_slot, seL4_WordBits);
    Thread* worker = spawn(send_once, const_cast<Sending*>(&sending));
    Received received{};
    if (worker != nullptr) {
        received.info = seL4_Recv(endpoint, &received.badge);
        received.word = seL4_GetMR(0);
        finish({worker});
    }
    seL4_SetCapReceivePath(seL4_CapNull, 0, 0);
    return received;
}

seL4_Word extra_caps(const Received& r)
{
    return seL4_MessageInfo_get_extraCaps(r.info);
}

seL4_Word unwrapped(const Received& r)
{
    return seL4_MessageInfo_get_capsUnwrapped(r.info);
}

} // namespace

void capability_tests()
{
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    const seL4_CPtr notification = make(seL4_NotificationObject);
    const seL4_CPtr badged_notification = mint(notification, seL4_AllRights, 0x40);

    // A notification capability moves into the receive slot and works there.
    seL4_CPtr slot = empty_slot();
    Received r = receive_from_worker(endpoint, {endpoint, 7, {badged_notification}, 1}, slot);
    check("ipc.caps.transfer_into_receive_slot", extra_caps(r) == 1 && unwrapped(r) == 0 &&
                                                     r.word == 7 &&
                                                     cap_type(slot) == cap_type(notification));
    seL4_Signal(slot);
    seL4_Word badge = 0;
    (void)seL4_Poll(notification, &badge);
    check("ipc.caps.transferred_cap_keeps_badge", badge == 0x40);
    check("ipc.caps.sender_keeps_its_cap", cap_type(badged_notification) == cap_type(notification));

    // A badged capability to the endpoint the message crosses arrives as its badge only.
    const seL4_CPtr badged_endpoint = mint(endpoint, seL4_AllRights, 0x1234);
    seL4_CPtr unused = empty_slot();
    r = receive_from_worker(endpoint, {endpoint, 8, {badged_endpoint}, 1}, unused);
    check("ipc.caps.unwrap_badged_endpoint", extra_caps(r) == 1 && unwrapped(r) == 1 &&
                                                 seL4_GetBadge(0) == 0x1234 &&
                                                 cap_type(unused) == 0);

    // Unwrapped first, transferred second: bit 0 only, the notification in the slot.
    slot = empty_slot();
    r = receive_from_worker(endpoint, {endpoint, 9, {badged_endpoint, notification}, 2}, slot);
    check("ipc.caps.unwrap_then_transfer", extra_caps(r) == 2 && unwrapped(r) == 1 &&
                                               seL4_GetBadge(0) == 0x1234 &&
                                               cap_type(slot) == cap_type(notification));

    // Without Grant on the sender's capability the words arrive but no capability does.
    const seL4_CPtr no_grant = mint(endpoint, seL4_CapRights_new(0, 0, 1, 1), 0);
    slot = empty_slot();
    r = receive_from_worker(endpoint, {no_grant, 10, {notification}, 1}, slot);
    check("ipc.caps.no_grant_no_transfer",
          r.word == 10 && extra_caps(r) == 0 && cap_type(slot) == 0);

    // An occupied receive slot is not overwritten.
    r = receive_from_worker(endpoint, {endpoint, 11, {notification}, 1}, badged_endpoint);
    check("ipc.caps.occupied_receive_slot_kept",
          r.word == 11 && extra_caps(r) == 0 && cap_type(badged_endpoint) == cap_type(endpoint));

    // Badges: each minted capability's badge reaches the receiver; an unbadged one gives 0.
    const seL4_CPtr first = mint(endpoint, seL4_AllRights, 1);
    const seL4_CPtr second = mint(endpoint, seL4_AllRights, 0xfedcba9876543ull);
    r = receive_from_worker(endpoint, {first, 1, {}, 0}, seL4_CapNull);
    const bool first_ok = r.badge == 1 && r.word == 1;
    r = receive_from_worker(endpoint, {second, 2, {}, 0}, seL4_CapNull);
    check("ipc.badge.delivered", first_ok && r.badge == 0xfedcba9876543ull && r.word == 2);
    r = receive_from_worker(endpoint, {endpoint, 3, {}, 0}, seL4_CapNull);
    check("ipc.badge.unbadged_is_zero", r.badge == 0 && r.word == 3);
}

} // namespace ipc_suite
