// The 16550 UART driver's protection domain. It holds the UART's eight I/O ports (Microkit's
// <ioport> element, id 0), its interrupt on channel 1, and one client (the serial virtualiser,
// or a single program) on channel 2, with the two ring regions of the serial protocol mapped
// where the description says (setvar_vaddr, setvar_size). docs/drivers.md, "Serial".
#include <microkit.h>
#include <stdio.h>

#include "uart_16550.h"

// Patched by the system description. The port defaults to COM1; an <ioport> with
// setvar_addr="uart_port_base" names another.
extern "C" {
__attribute__((section(".data"))) uint64_t uart_port_base = 0x3f8;
__attribute__((section(".data"))) uintptr_t uart_tx;      // the client writes, the driver sends
__attribute__((section(".data"))) size_t uart_tx_size;
__attribute__((section(".data"))) uintptr_t uart_rx;      // the driver writes what it receives
__attribute__((section(".data"))) size_t uart_rx_size;
}

namespace {

using namespace tessera::serial;

constexpr microkit_ioport PortId = 0;
constexpr microkit_channel IrqChannel = 1;
constexpr microkit_channel ClientChannel = 2;
constexpr uint32_t Baud = 115200;

class MicrokitPorts final : public UartPorts {
public:
    uint8_t read(UartRegister reg) override
    {
        return static_cast<uint8_t>(
            microkit_x86_ioport_read_8(PortId, uart_port_base + static_cast<uint8_t>(reg)));
    }
    void write(UartRegister reg, uint8_t value) override
    {
        microkit_x86_ioport_write_8(PortId, uart_port_base + static_cast<uint8_t>(reg), value);
    }
};

MicrokitPorts ports;
Uart16550Driver driver;
bool ready;

void wake_client_if(bool wake)
{
    if (wake)
        microkit_notify(ClientChannel);
}

} // namespace

extern "C" void init(void)
{
    const UartInitError error = driver.init(ports, reinterpret_cast<void*>(uart_tx), uart_tx_size,
                                            reinterpret_cast<void*>(uart_rx), uart_rx_size, Baud);
    ready = error == UartInitError::None;
    if (!ready) {
        printf("%s: UART at port 0x%lx: %s\n", microkit_name,
               static_cast<unsigned long>(uart_port_base), describe(error));
        return;
    }
    wake_client_if(true); // whatever arrived before the driver is in the ring
}

extern "C" void notified(microkit_channel channel)
{
    if (!ready)
        return;
    if (channel == IrqChannel) {
        bool wake = driver.handle_interrupt();
        // An ISA interrupt is an edge: one raised before this acknowledgement is lost, so the
        // chip is asked once more afterwards.
        microkit_irq_ack(IrqChannel);
        wake = driver.handle_interrupt() || wake;
        wake_client_if(wake);
    } else if (channel == ClientChannel) {
        wake_client_if(driver.handle_client());
    }
}
