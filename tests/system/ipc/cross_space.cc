// Ping-pong across two address spaces: the ELF loader starts the peer program (peer.cc) in a new
// address space with its own CSpace, stack, IPC buffer and fault endpoint; the root task serves
// its Calls with ReplyRecv, checking every word, then tears the process down.
#include "peer_protocol.h"
#include "suite.h"

#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/elf/loader.h>
#include <tessera/vspace.h>

extern "C" const unsigned char ipc_peer_image[], ipc_peer_image_end[];

namespace ipc_suite {
namespace {

using namespace tessera;
using libos::CPtr;
using libos::VAddr;

constexpr seL4_Word PeerBadge = 0x9ee7;
constexpr seL4_Word PeerFaultBadge = 0xfa9ee7;
// The peer's managed range: above page 0 up to the top of user space.
constexpr seL4_Word PeerBottom = 0x1000;

struct Served {
    seL4_Word pings = 0;
    seL4_Word lengths = 0;
    bool requests_ok = true;
    bool done = false;
    seL4_Word peer_verdict = 0;
    seL4_Word tsc_per_round_trip = 0;
    seL4_Word fault_label = 0;
};

// Answers the peer until it says it is done (or faults). The reply to each Call goes out with
// the next receive, in one ReplyRecv.
Served serve(seL4_CPtr endpoint)
{
    Served served;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(endpoint, &badge);
    for (;;) {
        const seL4_Word label = seL4_MessageInfo_get_label(info);
        const seL4_Word length = seL4_MessageInfo_get_length(info);
        if (badge != PeerBadge) {
            served.fault_label = badge == PeerFaultBadge ? label : ~seL4_Word{0};
            return served;
        }
        seL4_MessageInfo_t reply = message(0, 0);
        if (label == ipc_peer::DoneLabel) {
            served.done = true;
            served.peer_verdict = seL4_GetMR(0);
            served.tsc_per_round_trip = seL4_GetMR(1);
            seL4_Reply(reply);
            return served;
        }
        if (label == ipc_peer::PingLabel && length == 1) {
            served.pings++;
            seL4_SetMR(0, seL4_GetMR(0) + 1);
            reply = message(0, 1);
        } else if (label == ipc_peer::LengthLabel + length) {
            served.lengths++;
            for (seL4_Word i = 0; i < length; i++) {
                served.requests_ok =
                    served.requests_ok && seL4_GetMR(int(i)) == ipc_peer::pattern(length, i, 0);
                seL4_SetMR(int(i), ipc_peer::pattern(length, i, 1));
            }
            reply = message(label, length);
        } else {
            served.requests_ok = false;
        }
        info = seL4_ReplyRecv(endpoint, reply, &badge);
    }
}

} // namespace

void cross_space_tests()
{
    auto& objects = *alloc::process_allocator();
    auto& self = *vspace::process_vspace();
    const seL4_CPtr endpoint = make(seL4_EndpointObject);

    auto image = elf::Image::parse(ipc_peer_image, size_t(ipc_peer_image_end - ipc_peer_image));
    check("elf.peer_image_parses", bool(image));
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    auto window = self.reserve(1);
    if (!image || !root || !window) {
        check("elf.process_started", false);
        return;
    }
    // The peer's image is mostly its runtime's 1 MiB heap and 64 KiB stack in .bss: ~300 pages.
    static vspace::Mapping peer_mappings[1024];
    static vspace::VSpace peer_space(objects, root.value().cap, VAddr{PeerBottom},
                                     VAddr{seL4_UserTop}, peer_mappings, 1024);
    elf::ProcessConfig config;
    config.fault_endpoint = CPtr{endpoint};
    config.fault_badge = PeerFaultBadge;
    config.priority = WorkerPriority;
    auto process = elf::start_process(objects, image.value(), root.value(), peer_space, self,
                                      window.value().base, config);
    if (!process) {
        printf("elf.process_started: %s (error %d)\n", process.error().what,
               int(process.error().code));
    }
    check("elf.process_started", bool(process));
    if (!process)
        return;
    // The peer is below the root task's priority: it has not run yet, so its endpoint can still
    // be given to it.
    check_error("elf.give_peer_endpoint",
                seL4_CNode_Mint(libos::raw(process.value().cnode.cap), ipc_peer::ServiceSlot,
                                seL4_Uint8(libos::raw(config.cnode_slot_bits)),
                                seL4_CapInitThreadCNode, endpoint, seL4_WordBits, seL4_AllRights,
                                PeerBadge),
                seL4_NoError);

    const Served served = serve(endpoint);
    if (served.fault_label != 0)
        printf("ipc.cross_space: the peer faulted (label %lu)\n", served.fault_label);
    check("ipc.pingpong.cross_space", served.done && served.pings == ipc_peer::Pings);
    // A figure, not a test: TSC ticks (instructions under -icount shift=0) per round trip.
    printf("ipc.pingpong.cross_space: %lu TSC ticks per Call+ReplyRecv round trip\n",
           served.tsc_per_round_trip);
    check("ipc.length.cross_space_both_ways",
          served.done && served.requests_ok && served.peer_verdict == 1 &&
              served.lengths == sizeof(ipc_peer::Lengths) / sizeof(ipc_peer::Lengths[0]));

    // Its main has returned; the runtime suspended it instead of stopping the system.
    let_run(WorkerPriority);
    seL4_Word badge = 0;
    (void)seL4_NBRecv(endpoint, &badge);
    check("elf.process_exit_suspends_without_fault", served.done && badge == 0);
    check_error("elf.process_destroyed",
                elf::destroy_process(objects, process.value(), root.value(), peer_space).code(),
                seL4_NoError);
    (void)self.release(window.value());
}

} // namespace ipc_suite
