// The guest's console: a 16550A UART as Linux's 8250 driver sees it at COM1 (0x3f8, IRQ 4),
// complete enough that its autoconfiguration calls it a 16550A (scratch register, FIFO bits in
// IIR, loopback through MCR/MSR) and that it runs interrupt-driven. Transmitting is instant: each
// byte goes to a sink (the VMM forwards it to the serial virtualiser); received bytes wait in a
// 16-byte FIFO, as on the chip. Register facts from the PC16550D data sheet (TI/National, 1995).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

// Where transmitted bytes go.
class ByteSink {
public:
    virtual void transmit(uint8_t byte) = 0;

protected:
    ~ByteSink() = default;
};

// Where received bytes come from: the console's input, however the VMM gets it.
class ByteSource {
public:
    // Takes up to `capacity` waiting bytes into `buffer`; how many it took (0: none waiting).
    virtual size_t read(uint8_t* buffer, size_t capacity) = 0;

protected:
    ~ByteSource() = default;
};

constexpr uint16_t Com1Port = 0x3f8;
constexpr uint8_t Com1Irq = 4;
constexpr unsigned UartRegisterCount = 8;
constexpr unsigned UartFifoBytes = 16;

class Uart16550 {
public:
    explicit Uart16550(ByteSink& sink) : sink_(sink) {}

    // Register access at `offset` 0-7 from the base port; other offsets read 0xff and ignore
    // writes.
    uint8_t read(unsigned offset);
    void write(unsigned offset, uint8_t value);

    // A byte from the console for the guest. False when the FIFO is full: the byte is lost and
    // the overrun bit is set, as on the chip.
    bool receive(uint8_t byte);

    // Whether the interrupt line is raised (some enabled condition is pending).
    bool interrupt_pending() const { return pending_interrupt() != NoInterrupt; }
    // Bytes waiting for the guest.
    unsigned receive_queue_bytes() const { return rx_count_; }
    // Bytes the receiver takes before it overruns: the FIFO's free space, or one byte's room
    // while FIFOs are off.
    unsigned receive_room() const;
    // Whether the guest's driver listens: the received-data interrupt is enabled, OUT2 (which
    // gates the IRQ line on a PC) is set and the chip is not in loopback (which cuts the receiver
    // off from the line). Linux's 8250 driver reaches that state only at the end of its start-up;
    // its probe raises the interrupt enables for a moment without OUT2 and then clears the FIFOs,
    // so console input moved in before then would be lost. Until then the VMM leaves the input in
    // the host.
    bool receiving() const;
    // Console input for the guest: moves bytes from `source` while the driver listens
    // (receiving) and never more than the receiver takes (receive_room), so nothing taken from
    // the source is lost to an overrun; the rest stays in the source. True when any byte moved
    // (the caller then updates the interrupt line).
    bool receive_from(ByteSource& source);

private:
    static constexpr uint8_t NoInterrupt = 0x01;

    uint8_t pending_interrupt() const;
    uint8_t read_receive();
    void push_receive(uint8_t byte);
    uint8_t modem_status() const;

    ByteSink& sink_;
    uint8_t rx_[UartFifoBytes] = {};
    unsigned rx_head_ = 0;
    unsigned rx_count_ = 0;
    uint8_t ier_ = 0;
    uint8_t lcr_ = 0;
    uint8_t mcr_ = 0;
    uint8_t scratch_ = 0;
    uint8_t divisor_low_ = 0x0c; // 9600 baud at 1.8432 MHz, the reset value firmware leaves
    uint8_t divisor_high_ = 0;
    bool fifo_enabled_ = false;
    bool overrun_ = false;
    bool transmit_empty_pending_ = false;
    uint8_t modem_deltas_ = 0;
};

} // namespace tessera::services::vmm
