// The peer of the cross-address-space tests: a separate program the suite loads with the ELF
// loader into a new address space with its own CSpace. It calls the suite over the endpoint in
// ipc_peer::ServiceSlot, checks every reply, reports, and exits (which suspends it).
#include "peer_protocol.h"

#include <tessera/runtime.h>

using namespace ipc_peer;

namespace {

seL4_Word tsc_per_ping = 0;

seL4_Word read_tsc()
{
    seL4_Word low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (high << 32) | low;
}

// Under QEMU with -icount shift=0 the TSC counts instructions, so this is the instruction count
// of one Call + ReplyRecv round trip (both sides, kernel included).
bool ping_pong()
{
    const seL4_Word start = read_tsc();
    bool ok = true;
    for (seL4_Word n = 0; n < Pings; n++) {
        seL4_SetMR(0, n);
        const seL4_MessageInfo_t reply =
            seL4_Call(ServiceSlot, seL4_MessageInfo_new(PingLabel, 0, 0, 1));
        ok = ok && seL4_MessageInfo_get_length(reply) == 1 && seL4_GetMR(0) == n + 1;
    }
    tsc_per_ping = (read_tsc() - start) / Pings;
    return ok;
}

bool every_length()
{
    bool ok = true;
    for (seL4_Word length : Lengths) {
        for (seL4_Word i = 0; i < length; i++)
            seL4_SetMR(int(i), pattern(length, i, 0));
        const seL4_MessageInfo_t reply =
            seL4_Call(ServiceSlot, seL4_MessageInfo_new(LengthLabel + length, 0, 0, length));
        ok = ok && seL4_MessageInfo_get_label(reply) == LengthLabel + length &&
             seL4_MessageInfo_get_length(reply) == length;
        for (seL4_Word i = 0; i < length; i++)
            ok = ok && seL4_GetMR(int(i)) == pattern(length, i, 1);
    }
    return ok;
}

} // namespace

int main(void)
{
    // A process the loader started has no BootInfo; its IPC buffer came in rsi.
    const bool started_right = tessera_boot_info() == nullptr && seL4_GetIPCBuffer() != nullptr;
    const bool ok = started_right && ping_pong() && every_length();
    seL4_SetMR(0, ok ? 1 : 0);
    seL4_SetMR(1, tsc_per_ping);
    (void)seL4_Call(ServiceSlot, seL4_MessageInfo_new(DoneLabel, 0, 0, 2));
    return 0;
}
