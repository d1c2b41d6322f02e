// The 16550A model (uart_16550.h).
#include "uart_16550.h"

namespace tessera::services::vmm {
namespace {

// Register offsets (DLAB 0 / DLAB 1).
constexpr unsigned Data = 0;            // RBR read, THR write / DLL
constexpr unsigned InterruptEnable = 1; // IER / DLM
constexpr unsigned InterruptId = 2;     // IIR read, FCR write
constexpr unsigned LineControl = 3;
constexpr unsigned ModemControl = 4;
constexpr unsigned LineStatus = 5;
constexpr unsigned ModemStatus = 6;
constexpr unsigned Scratch = 7;

constexpr uint8_t LcrDivisorLatch = 0x80;
constexpr uint8_t IerReceive = 0x01, IerTransmitEmpty = 0x02, IerLineStatus = 0x04,
                  IerModemStatus = 0x08;
constexpr uint8_t FcrEnable = 0x01, FcrClearReceive = 0x02;
constexpr uint8_t IirFifosEnabled = 0xc0;
constexpr uint8_t IirLineStatus = 0x06, IirReceive = 0x04, IirTransmitEmpty = 0x02,
                  IirModemStatus = 0x00;
constexpr uint8_t LsrDataReady = 0x01, LsrOverrun = 0x02, LsrTransmitEmpty = 0x20,
                  LsrTransmitterIdle = 0x40;
constexpr uint8_t McrDtr = 0x01, McrRts = 0x02, McrOut1 = 0x04, McrOut2 = 0x08, McrLoop = 0x10;
constexpr uint8_t MsrCts = 0x10, MsrDsr = 0x20, MsrRi = 0x40, MsrDcd = 0x80;

} // namespace

uint8_t Uart16550::modem_status() const
{
    if ((mcr_ & McrLoop) == 0)
        return MsrCts | MsrDsr | MsrDcd; // a connected terminal
    // Loopback wires the modem control outputs to the status inputs.
    uint8_t status = 0;
    if (mcr_ & McrRts)
        status |= MsrCts;
    if (mcr_ & McrDtr)
        status |= MsrDsr;
    if (mcr_ & McrOut1)
        status |= MsrRi;
    if (mcr_ & McrOut2)
        status |= MsrDcd;
    return status;
}

// Highest-priority enabled condition (data sheet table 4): line status, received data,
// transmitter empty, modem status.
uint8_t Uart16550::pending_interrupt() const
{
    if ((ier_ & IerLineStatus) && overrun_)
        return IirLineStatus;
    if ((ier_ & IerReceive) && rx_count_ > 0)
        return IirReceive;
    if ((ier_ & IerTransmitEmpty) && transmit_empty_pending_)
        return IirTransmitEmpty;
    if ((ier_ & IerModemStatus) && modem_deltas_ != 0)
        return IirModemStatus;
    return NoInterrupt;
}

void Uart16550::push_receive(uint8_t byte)
{
    rx_[(rx_head_ + rx_count_) % UartFifoBytes] = byte;
    ++rx_count_;
}

uint8_t Uart16550::read_receive()
{
    if (rx_count_ == 0)
        return 0;
    uint8_t byte = rx_[rx_head_];
    rx_head_ = (rx_head_ + 1) % UartFifoBytes;
    --rx_count_;
    return byte;
}

unsigned Uart16550::receive_room() const
{
    // Without FIFOs the chip holds one byte.
    unsigned capacity = fifo_enabled_ ? UartFifoBytes : 1;
    return rx_count_ < capacity ? capacity - rx_count_ : 0;
}

bool Uart16550::receiving() const
{
    return (ier_ & IerReceive) && (mcr_ & McrOut2) && !(mcr_ & McrLoop);
}

bool Uart16550::receive_from(ByteSource& source)
{
    if (!receiving())
        return false;
    bool moved = false;
    uint8_t buffer[UartFifoBytes];
    for (unsigned room = receive_room(); room > 0; room = receive_room()) {
        const size_t count = source.read(buffer, room < sizeof buffer ? room : sizeof buffer);
        if (count == 0)
            break;
        for (size_t i = 0; i < count && i < room; ++i)
            push_receive(buffer[i]);
        moved = true;
    }
    return moved;
}

bool Uart16550::receive(uint8_t byte)
{
    if (receive_room() == 0) {
        overrun_ = true;
        return false;
    }
    push_receive(byte);
    return true;
}

uint8_t Uart16550::read(unsigned offset)
{
    bool latch = (lcr_ & LcrDivisorLatch) != 0;
    switch (offset) {
    case Data:
        return latch ? divisor_low_ : read_receive();
    case InterruptEnable:
        return latch ? divisor_high_ : ier_;
    case InterruptId: {
        uint8_t id = pending_interrupt();
        // Reading IIR while it reports "transmitter empty" acknowledges it.
        if (id == IirTransmitEmpty)
            transmit_empty_pending_ = false;
        return static_cast<uint8_t>(id | (fifo_enabled_ ? IirFifosEnabled : 0));
    }
    case LineControl:
        return lcr_;
    case ModemControl:
        return mcr_;
    case LineStatus: {
        uint8_t status = LsrTransmitEmpty | LsrTransmitterIdle;
        if (rx_count_ > 0)
            status |= LsrDataReady;
        if (overrun_)
            status |= LsrOverrun;
        overrun_ = false; // error bits clear on read
        return status;
    }
    case ModemStatus: {
        uint8_t status = static_cast<uint8_t>(modem_status() | modem_deltas_);
        modem_deltas_ = 0;
        return status;
    }
    case Scratch:
        return scratch_;
    default:
        return 0xff;
    }
}

void Uart16550::write(unsigned offset, uint8_t value)
{
    bool latch = (lcr_ & LcrDivisorLatch) != 0;
    switch (offset) {
    case Data:
        if (latch) {
            divisor_low_ = value;
        } else if (mcr_ & McrLoop) {
            receive(value);
            transmit_empty_pending_ = true;
        } else {
            sink_.transmit(value);
            transmit_empty_pending_ = true; // sent at once: THR is empty again
        }
        return;
    case InterruptEnable:
        if (latch) {
            divisor_high_ = value;
            return;
        }
        // Enabling the THRE interrupt while THR is empty raises it (the 8250 driver relies on it).
        if ((value & IerTransmitEmpty) && !(ier_ & IerTransmitEmpty))
            transmit_empty_pending_ = true;
        ier_ = value & 0x0f;
        return;
    case InterruptId:
        fifo_enabled_ = (value & FcrEnable) != 0;
        if ((value & FcrClearReceive) || !fifo_enabled_) {
            rx_head_ = 0;
            rx_count_ = 0;
        }
        return;
    case LineControl:
        lcr_ = value;
        return;
    case ModemControl: {
        uint8_t before = modem_status();
        mcr_ = value & 0x1f;
        uint8_t after = modem_status();
        // Delta bits: CTS, DSR and DCD changed; RI's trailing edge (data sheet, MSR bits 0-3).
        uint8_t changed = before ^ after;
        if (changed & MsrCts)
            modem_deltas_ |= 0x01;
        if (changed & MsrDsr)
            modem_deltas_ |= 0x02;
        if ((before & MsrRi) && !(after & MsrRi))
            modem_deltas_ |= 0x04;
        if (changed & MsrDcd)
            modem_deltas_ |= 0x08;
        return;
    }
    case Scratch:
        scratch_ = value;
        return;
    default:
        return; // LSR and MSR are read-only
    }
}

} // namespace tessera::services::vmm
