#include "serial_console.h"

namespace tessera::services::vmm {

void SerialConsole::transmit(uint8_t byte)
{
    tessera_serial_client_write(&client_, &byte, 1);
}

void SerialConsole::idle()
{
    tessera_serial_client_flush(&client_);
}

bool SerialConsole::deliver_input(Uart16550& uart)
{
    if (!uart.receiving())
        return false;
    bool moved = false;
    uint8_t buffer[UartFifoBytes];
    // Reading at most the receiver's room takes nothing out of the ring that the UART would
    // have to drop.
    for (unsigned room = uart.receive_room(); room > 0; room = uart.receive_room()) {
        const long count = tessera_serial_client_read(&client_, buffer,
                                                      room < sizeof buffer ? room : sizeof buffer);
        if (count <= 0)
            break;
        for (long i = 0; i < count; ++i)
            uart.receive(buffer[i]);
        moved = true;
    }
    return moved;
}

} // namespace tessera::services::vmm
