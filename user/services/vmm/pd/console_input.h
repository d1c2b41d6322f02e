// The guest's console input: bytes the kernel's console (COM1) received, moved into the guest
// UART's receive FIFO. The kernel prints on COM1 and keeps its interrupt, so the VMM polls it
// (tessera_DebugGetChar): before an entry at most every PollIntervalNs of guest time, and a halted
// guest's VMM wakes at that pace to look. Uart16550::receive_from takes a byte only while the
// receiver has room, so none is lost to an overrun: the rest waits in the host UART and the
// launcher's relay.
#pragma once

#include <stdint.h>

#include "uart_16550.h"

namespace tessera::services::vmm {

class ConsoleInput {
public:
    static constexpr uint64_t PollIntervalNs = 10'000'000;

    // At or past the next poll time, once the guest's driver listens (Uart16550::receiving):
    // moves waiting bytes into `uart`. True when it moved any.
    bool poll(Uart16550& uart, uint64_t now_ns);
    uint64_t next_poll_ns() const { return next_poll_ns_; }

private:
    uint64_t next_poll_ns_ = 0;
};

} // namespace tessera::services::vmm
