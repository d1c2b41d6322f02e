#include "console_input.h"

#include <sel4/sel4.h>

namespace tessera::services::vmm {

bool ConsoleInput::poll(Uart16550& uart, uint64_t now_ns)
{
    if (now_ns < next_poll_ns_)
        return false;
    next_poll_ns_ = now_ns + PollIntervalNs; // also while the guest does not listen: the timer
    if (!uart.receiving())                   // must not be armed in the past again
        return false;
    bool moved = false;
    while (uart.receive_room() > 0) {
        const int byte = tessera_DebugGetChar();
        if (byte < 0)
            break;
        uart.receive(uint8_t(byte));
        moved = true;
    }
    return moved;
}

} // namespace tessera::services::vmm
