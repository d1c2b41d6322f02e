#include "linux_guest.h"

#include <tessera/queue/serial.h>

namespace tessera::services::vmm {
namespace {

constexpr seL4_Word bit(microkit_channel ch) { return seL4_Word{1} << ch; }

bool drained(const tessera_serial_client& client)
{
    const tessera_serial_control* control = client.tx.control;
    return __atomic_load_n(&control->head, __ATOMIC_ACQUIRE) ==
           __atomic_load_n(&control->tail, __ATOMIC_ACQUIRE);
}

} // namespace

bool PdHost::poll(uint64_t)
{
    // Input waits in the client's ring; the UART takes what its driver listens for and has room for.
    return platform_.uart().receive_from(console_);
}

bool PdHost::arm(uint64_t deadline_ns)
{
    // Rounded to whole keep-alive periods, so that an unchanged deadline does not re-arm.
    const uint64_t now = timer_.now_ns();
    const uint64_t keep_alive = (now / KeepAliveNs + 1) * KeepAliveNs;
    return timer_.arm(deadline_ns < keep_alive ? deadline_ns : keep_alive);
}

void PdHost::notified(seL4_Word badge, uint64_t)
{
    if (badge & bit(linux_vmm_channel::Timer))
        timer_.acknowledge();
    for (unsigned i = 0; i < MaxDisks; i++)
        if (disks_[i] != nullptr && (badge & bit(linux_vmm_channel::Disk + i)))
            disks_[i]->serve();
    // Serial notifications need nothing here: poll() looks at the ring before every entry.
}

seL4_Word PdHost::wait()
{
    console_.idle(); // a prompt without its line end goes out before the guest waits for input
    seL4_Word badge = 0;
    seL4_Wait(MICROKIT_INPUT_CAP, &badge);
    return badge;
}

bool connect_disk(tessera_blk_client& client)
{
    while (!tessera_blk_client_connect(&client)) {
        seL4_Word badge = 0;
        seL4_Wait(MICROKIT_INPUT_CAP, &badge);
    }
    return tessera_blk_client_ready(&client);
}

void end_run(uint32_t status, const tessera_serial_client* const* clients, unsigned count)
{
    // Bounded: a virtualiser that stopped must not keep the machine on.
    for (unsigned round = 0; round < 10000; round++) {
        bool all = true;
        for (unsigned i = 0; i < count; i++)
            all = all && (clients[i] == nullptr || drained(*clients[i]));
        if (all)
            break;
        seL4_Yield();
    }
    seL4_X86_IOPort_Out32(BASE_IOPORT_CAP + ExitPortId, ExitPort, status);
    for (;;)
        seL4_Wait(MICROKIT_INPUT_CAP, nullptr);
}

} // namespace tessera::services::vmm
