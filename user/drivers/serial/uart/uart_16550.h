// The 16550 UART driver's logic, reaching the device only through UartPorts so that host tests
// can drive it against a model of the chip. It serves one client over the serial protocol
// (tessera/queue/serial.h): bytes from the transmit ring go into the UART's FIFO whenever the
// transmitter is empty, with the "transmitter empty" interrupt on only while bytes wait; received
// bytes go into the receive ring, interrupt-driven. When the receive ring is full the driver
// stops taking bytes from the UART (receive interrupts off), so the UART's own flow control (or
// QEMU's, which stops reading its backend) holds further input until the client makes room.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <tessera/queue/serial.h>

namespace tessera::serial {

// Register offsets from the base port (PC16550D data sheet). Offset 2 is the interrupt
// identification register when read and the FIFO control register when written.
enum class UartRegister : uint8_t {
    Data = 0,
    InterruptEnable = 1,
    InterruptIdentification = 2,
    FifoControl = 2,
    LineControl = 3,
    ModemControl = 4,
    LineStatus = 5,
    ModemStatus = 6,
    Scratch = 7,
};

// Access to one UART's eight registers.
class UartPorts {
public:
    virtual uint8_t read(UartRegister reg) = 0;
    virtual void write(UartRegister reg, uint8_t value) = 0;

protected:
    ~UartPorts() = default;
};

struct UartCounters {
    uint64_t received = 0;
    uint64_t transmitted = 0;
    uint64_t overruns = 0;       // bytes the UART lost before the driver read them
    uint64_t parity_errors = 0;
    uint64_t framing_errors = 0;
    uint64_t breaks = 0;
    uint64_t interrupts = 0;     // handle_interrupt() calls that found a cause
    uint64_t receive_pauses = 0; // times the receive ring filled up
};

enum class UartInitError {
    None,
    NoDevice,       // the scratch register does not keep a value: no 16550 at this port
    BadBaudRate,    // not a divisor of 115200
    BadRing,        // a ring region is missing, misaligned or too small
};
const char* describe(UartInitError error);

class Uart16550Driver {
public:
    static constexpr uint32_t FifoBytes = 16;
    static constexpr uint32_t ClockBaud = 115200; // the UART clock / 16

    // Checks the device, programs 8N1 at `baud` with FIFOs on and receive interrupts enabled,
    // and attaches to the rings. The receive FIFO is not cleared: bytes that arrived before the
    // driver started are delivered.
    UartInitError init(UartPorts& ports, void* tx_region, size_t tx_bytes, void* rx_region,
                       size_t rx_bytes, uint32_t baud);

    // After the UART's interrupt: serves every cause the chip reports. True when the client must
    // be signalled. The caller acknowledges the interrupt and then calls it once more, since an
    // edge raised before the acknowledgement is lost.
    bool handle_interrupt();

    // After the client's signal: sends what it wrote, resumes a paused receiver. True when the
    // client must be signalled.
    bool handle_client();

    const UartCounters& counters() const { return counters_; }
    bool is_receive_paused() const { return receive_paused_; }

private:
    void receive();
    void transmit();
    void note_line_status(uint8_t status);
    void set_interrupts(uint8_t enable);
    bool client_wakeup();

    UartPorts* ports_ = nullptr;
    tessera_serial_ring tx_{};
    tessera_serial_ring rx_{};
    uint8_t interrupt_enable_ = 0;
    bool receive_paused_ = false;
    bool consumed_ = false; // bytes taken from the transmit ring since the last client_wakeup()
    bool produced_ = false; // bytes put into the receive ring since then
    UartCounters counters_;
};

} // namespace tessera::serial
