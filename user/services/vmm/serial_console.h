// The guest's COM1 as a client of the serial virtualiser (user/services/serial_virt), so that the
// guest and native components share one console: the guest's lines go out whole with the VMM's
// prefix, and input switched to the VMM reaches the guest's UART.
//
// Output: each byte the guest's UART transmits goes into the serial client, which sends complete
// lines. The VMM must never block inside an exit (a guest flooding its console would stall its
// own VCPU and, through a full ring, nothing else), so the client drops what finds no room and
// counts it (TESSERA_SERIAL_DROP_WHEN_FULL). A partial line (a shell prompt) leaves at idle():
// when the guest halts or the VMM is about to wait.
//
// Input: the console is the UART's ByteSource; Uart16550::receive_from moves bytes only while the
// guest's driver listens and only as many as the receiver takes, so none is lost to an overrun:
// the rest waits in the ring, and the client has asked the virtualiser for a signal when it
// drained the ring empty.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_client.h>

#include "uart_16550.h"

namespace tessera::services::vmm {

class SerialConsole final : public ByteSink, public ByteSource {
public:
    // `client` is initialised (tessera_serial_client_init) by the caller, with
    // TESSERA_SERIAL_DROP_WHEN_FULL; it must outlive this object.
    explicit SerialConsole(tessera_serial_client& client) : client_(client) {}

    void transmit(uint8_t byte) override;

    // Sends a buffered partial line. Call when the guest goes idle.
    void idle();

    // Input from the virtualiser, without waiting (for Uart16550::receive_from).
    size_t read(uint8_t* buffer, size_t capacity) override;

    // Guest output lost to a full transmit ring.
    uint64_t dropped_bytes() const { return client_.dropped_bytes; }

private:
    tessera_serial_client& client_;
};

} // namespace tessera::services::vmm
