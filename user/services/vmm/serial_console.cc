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

size_t SerialConsole::read(uint8_t* buffer, size_t capacity)
{
    const long count = tessera_serial_client_read(&client_, buffer, capacity);
    return count > 0 ? size_t(count) : 0;
}

} // namespace tessera::services::vmm
