// Call/ReplyRecv between two threads of one address space: a long ping-pong, every message length
// 0..120 with the content checked both ways, and the fastpath-shaped Call (no capability) giving
// exactly what the slow path (one extra capability) gives.
#include "suite.h"

#include <stdio.h>

namespace ipc_suite {
namespace {

constexpr seL4_Word StopLabel = 0xfff;
constexpr seL4_Word MaxLength = seL4_MsgMaxLength;
constexpr seL4_Word Untouched = 0x5e5e5e5e5e5e5e5eull;

// A word no two (length, index, direction) share, so a misplaced or stale word shows.
seL4_Word pattern(seL4_Word length, seL4_Word index, seL4_Word direction)
{
    return (direction << 60) ^ (length << 40) ^ ((index + 1) * 0x9e3779b97f4a7c15ull);
}

struct Server {
    seL4_CPtr endpoint = seL4_CapNull;
    // What the server saw, per request: written before its reply, read by the client after it.
    volatile bool request_ok[MaxLength + 1] = {};
    volatile seL4_Word last_label = 0;
    volatile seL4_Word last_extra_caps = 0;
    volatile seL4_Word last_unwrapped = 0;
    volatile seL4_Word checksum = 0;
};

// Serves until StopLabel. A request of length n with label n must carry pattern(n, i, 0); the
// reply has label n + 1000 and pattern(n, i, 1).
void* length_server(void* argument)
{
    Server& server = *static_cast<Server*>(argument);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(server.endpoint, &badge);
    while (seL4_MessageInfo_get_label(info) != StopLabel) {
        const seL4_Word length = seL4_MessageInfo_get_length(info);
        bool ok = seL4_MessageInfo_get_label(info) == length && length <= MaxLength;
        seL4_Word checksum = 0;
        for (seL4_Word i = 0; i < length && ok; i++) {
            ok = seL4_GetMR(int(i)) == pattern(length, i, 0);
            checksum = checksum * 31 + seL4_GetMR(int(i));
        }
        if (length <= MaxLength)
            server.request_ok[length] = ok;
        server.last_label = seL4_MessageInfo_get_label(info);
        server.last_extra_caps = seL4_MessageInfo_get_extraCaps(info);
        server.last_unwrapped = seL4_MessageInfo_get_capsUnwrapped(info);
        server.checksum = checksum;
        for (seL4_Word i = 0; i < length; i++)
            seL4_SetMR(int(i), pattern(length, i, 1));
        info = seL4_ReplyRecv(server.endpoint, message(length + 1000, length), &badge);
    }
    seL4_Reply(message(0, 0));
    return nullptr;
}

// A client's view of one round trip: what came back, whether it was right.
struct RoundTrip {
    seL4_Word label, length, checksum;
    bool words_ok, tail_untouched;
};

RoundTrip call_with_length(seL4_CPtr endpoint, seL4_Word length, seL4_Word extra_caps)
{
    seL4_IPCBuffer* buffer = seL4_GetIPCBuffer();
    for (seL4_Word i = 0; i < MaxLength; i++)
        buffer->msg[i] = i < length ? pattern(length, i, 0) : Untouched;
    const seL4_MessageInfo_t reply = seL4_Call(endpoint, message(length, length, extra_caps));
    RoundTrip result{seL4_MessageInfo_get_label(reply), seL4_MessageInfo_get_length(reply), 0, true,
                     true};
    for (seL4_Word i = 0; i < MaxLength; i++) {
        if (i < length) {
            result.words_ok = result.words_ok && buffer->msg[i] == pattern(length, i, 1);
            result.checksum = result.checksum * 31 + buffer->msg[i];
        } else if (i >= seL4_FastMessageRegisters) {
            // Words past the message are never written (the first four travel in registers).
            result.tail_untouched = result.tail_untouched && buffer->msg[i] == Untouched;
        }
    }
    return result;
}

void stop(seL4_CPtr endpoint)
{
    (void)seL4_Call(endpoint, message(StopLabel, 0));
}

} // namespace

void pingpong_tests()
{
    static Server server;
    server.endpoint = make(seL4_EndpointObject);
    Thread* worker = spawn(length_server, &server);
    bool ok = worker != nullptr;
    seL4_Word rounds = 0;
    for (; ok && rounds < 1000; rounds++) {
        const seL4_Word length = rounds % 3; // 0..2 words: the shape of most RPCs
        const RoundTrip trip = call_with_length(server.endpoint, length, 0);
        ok = trip.label == length + 1000 && trip.length == length && trip.words_ok &&
             server.request_ok[length];
    }
    if (!ok)
        printf("ipc.pingpong.same_space: round %lu wrong\n", rounds);
    check("ipc.pingpong.same_space_1000_rounds", ok);
    stop(server.endpoint);
    check("ipc.pingpong.server_finished", worker != nullptr && join(worker) == nullptr);
    destroy(worker);
}

void length_tests()
{
    static Server server;
    server.endpoint = make(seL4_EndpointObject);
    Thread* worker = spawn(length_server, &server);
    char name[40];
    for (seL4_Word length = 0; length <= MaxLength; length++) {
        server.request_ok[length] = false;
        const RoundTrip trip = call_with_length(server.endpoint, length, 0);
        snprintf(name, sizeof(name), "ipc.length.%03lu", length);
        const bool ok = worker != nullptr && server.request_ok[length] &&
                        trip.label == length + 1000 && trip.length == length && trip.words_ok &&
                        trip.tail_untouched;
        if (!ok)
            printf("%s: request %d, reply label %lu length %lu words %d tail %d\n", name,
                   int(server.request_ok[length]), trip.label, trip.length, int(trip.words_ok),
                   int(trip.tail_untouched));
        check(name, ok);
    }

    // A length field above 120 (it has 7 bits) is cut to 120, as seL4 does.
    server.request_ok[MaxLength] = false;
    for (seL4_Word i = 0; i < MaxLength; i++)
        seL4_SetMR(int(i), pattern(MaxLength, i, 0));
    const seL4_MessageInfo_t cut =
        seL4_Call(server.endpoint, seL4_MessageInfo_new(MaxLength, 0, 0, MaxLength + 7));
    check("ipc.length.above_120_cut_to_120",
          server.request_ok[MaxLength] && seL4_MessageInfo_get_length(cut) == MaxLength);

    // The same requests with one extra capability leave the fastpath's case; everything the
    // client gets back, and every word the server sees, must be the same.
    const seL4_CPtr badged = mint(server.endpoint, seL4_AllRights, 0x77);
    const seL4_Word lengths[] = {0, 1, 4, 5, 10, 64, 120};
    for (seL4_Word length : lengths) {
        const RoundTrip fast = call_with_length(server.endpoint, length, 0);
        const seL4_Word fast_checksum = server.checksum;
        const bool fast_no_caps = server.last_extra_caps == 0;
        seL4_SetCap(0, badged);
        const RoundTrip slow = call_with_length(server.endpoint, length, 1);
        const bool slow_unwrapped = server.last_extra_caps == 1 && server.last_unwrapped == 1;
        snprintf(name, sizeof(name), "ipc.fastpath.same_as_slow.%lu", length);
        check(name, fast.label == slow.label && fast.length == slow.length &&
                        fast.checksum == slow.checksum && fast.words_ok && slow.words_ok &&
                        fast_checksum == server.checksum && fast_no_caps && slow_unwrapped);
    }
    stop(server.endpoint);
    join(worker);
    destroy(worker);
}

} // namespace ipc_suite
