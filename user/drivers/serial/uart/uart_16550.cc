// The 16550 UART driver's logic (uart_16550.h). Register bits from the PC16550D data sheet.
#include "uart_16550.h"

namespace tessera::serial {

namespace {

// Interrupt enable register.
constexpr uint8_t ReceiveDataInterrupt = 1u << 0;
constexpr uint8_t TransmitEmptyInterrupt = 1u << 1;
constexpr uint8_t LineStatusInterrupt = 1u << 2;

// Interrupt identification register: bit 0 clear while a cause is pending; bits 1-3 name it.
constexpr uint8_t NoInterruptPending = 1u << 0;
constexpr uint8_t InterruptCauseMask = 0x0e;
constexpr uint8_t CauseLineStatus = 0x06, CauseReceiveData = 0x04, CauseCharacterTimeout = 0x0c,
                  CauseTransmitEmpty = 0x02, CauseModemStatus = 0x00;

// FIFO control: FIFOs on, transmit FIFO cleared (the receive FIFO keeps early input), receive
// interrupt at 8 bytes (and after four character times of silence).
constexpr uint8_t FifoEnable = 1u << 0, FifoClearTransmit = 1u << 2, FifoTrigger8 = 0x80;

// Line control: divisor latch access, 8 data bits, no parity, 1 stop bit.
constexpr uint8_t DivisorLatch = 0x80, EightNoneOne = 0x03;

// Modem control: DTR, RTS and OUT2, which gates the interrupt line on PCs.
constexpr uint8_t DtrRtsOut2 = 0x0b;

// Line status register.
constexpr uint8_t DataReady = 1u << 0, Overrun = 1u << 1, ParityError = 1u << 2,
                  FramingError = 1u << 3, BreakReceived = 1u << 4, TransmitFifoEmpty = 1u << 5;

constexpr int MaxCausesPerInterrupt = 32; // a chip stuck on one cause cannot hold the driver

} // namespace

const char* describe(UartInitError error)
{
    switch (error) {
    case UartInitError::None:
        return "no error";
    case UartInitError::NoDevice:
        return "no 16550 answers at this port (its scratch register keeps no value)";
    case UartInitError::BadBaudRate:
        return "the baud rate does not divide 115200";
    case UartInitError::BadRing:
        return "a ring region is missing, misaligned or too small";
    }
    return "unknown error";
}

UartInitError Uart16550Driver::init(UartPorts& ports, void* tx_region, size_t tx_bytes,
                                    void* rx_region, size_t rx_bytes, uint32_t baud)
{
    ports_ = &ports;
    if (baud == 0 || ClockBaud % baud != 0)
        return UartInitError::BadBaudRate;
    if (tessera_serial_attach_consumer(&tx_, tx_region, tx_bytes) != 0 ||
        tessera_serial_attach_producer(&rx_, rx_region, rx_bytes) != 0)
        return UartInitError::BadRing;
    constexpr uint8_t probes[] = {0x5a, 0xa5};
    for (uint8_t probe : probes) {
        ports.write(UartRegister::Scratch, probe);
        if (ports.read(UartRegister::Scratch) != probe)
            return UartInitError::NoDevice;
    }
    const uint32_t divisor = ClockBaud / baud;
    ports.write(UartRegister::InterruptEnable, 0);
    interrupt_enable_ = 0;
    ports.write(UartRegister::LineControl, DivisorLatch);
    ports.write(UartRegister::Data, static_cast<uint8_t>(divisor & 0xff));
    ports.write(UartRegister::InterruptEnable, static_cast<uint8_t>(divisor >> 8));
    ports.write(UartRegister::LineControl, EightNoneOne);
    ports.write(UartRegister::FifoControl, FifoEnable | FifoClearTransmit | FifoTrigger8);
    ports.write(UartRegister::ModemControl, DtrRtsOut2);
    set_interrupts(ReceiveDataInterrupt | LineStatusInterrupt);
    receive_paused_ = false;
    // Input that came before the driver, and output the client wrote before it, go now.
    receive();
    transmit();
    return UartInitError::None;
}

bool Uart16550Driver::handle_interrupt()
{
    bool found = false;
    for (int i = 0; i < MaxCausesPerInterrupt; ++i) {
        const uint8_t identification = ports_->read(UartRegister::InterruptIdentification);
        if ((identification & NoInterruptPending) != 0)
            break;
        found = true;
        switch (identification & InterruptCauseMask) {
        case CauseLineStatus:
            note_line_status(ports_->read(UartRegister::LineStatus));
            break;
        case CauseReceiveData:
        case CauseCharacterTimeout:
            receive();
            break;
        case CauseTransmitEmpty:
            transmit();
            break;
        case CauseModemStatus:
            (void)ports_->read(UartRegister::ModemStatus); // reading clears the cause
            break;
        default:
            break;
        }
    }
    if (found)
        counters_.interrupts++;
    return client_wakeup();
}

bool Uart16550Driver::handle_client()
{
    transmit();
    if (receive_paused_) {
        const long space = tessera_serial_free_space(&rx_);
        if (space != 0) { // room, or a broken ring that receive() resynchronises
            receive_paused_ = false;
            set_interrupts(interrupt_enable_ | ReceiveDataInterrupt);
            receive();
        }
    }
    return client_wakeup();
}

// Moves received bytes into the ring, checking the line status before each.
void Uart16550Driver::receive()
{
    uint8_t batch[64];
    uint32_t batched = 0;
    long space = tessera_serial_free_space(&rx_);
    auto flush = [&] {
        if (batched != 0) {
            if (tessera_serial_write(&rx_, batch, batched) < 0)
                tessera_serial_resynchronise_producer(&rx_); // the client broke its ring: drop
            else
                produced_ = true;
        }
        batched = 0;
        space = tessera_serial_free_space(&rx_);
        if (space < 0) {
            tessera_serial_resynchronise_producer(&rx_);
            space = tessera_serial_free_space(&rx_);
        }
    };
    flush();
    for (;;) {
        const uint8_t status = ports_->read(UartRegister::LineStatus);
        note_line_status(status);
        if ((status & DataReady) == 0)
            break;
        if (static_cast<uint32_t>(space) == batched) {
            flush();
            if (space == 0) {
                // Full: leave the rest in the UART, stop its receive interrupts and ask the
                // client to signal when it has read some. If it already has, carry on.
                if (tessera_serial_producer_prepare_to_sleep(&rx_, 1) != 1) {
                    flush();
                    continue;
                }
                if (!receive_paused_)
                    counters_.receive_pauses++;
                receive_paused_ = true;
                set_interrupts(interrupt_enable_ & ~ReceiveDataInterrupt);
                break;
            }
        }
        batch[batched++] = ports_->read(UartRegister::Data);
        counters_.received++;
        if (batched == sizeof batch)
            flush();
    }
    flush();
}

// Fills the empty transmit FIFO from the ring, sixteen bytes at a time, for as long as the UART
// takes them; the transmit-empty interrupt stays on only while bytes wait.
void Uart16550Driver::transmit()
{
    for (;;) {
        long waiting = tessera_serial_available(&tx_);
        if (waiting < 0) {
            tessera_serial_resynchronise_consumer(&tx_); // the client broke its ring: drop
            waiting = 0;
        }
        if (waiting == 0) {
            set_interrupts(interrupt_enable_ & ~TransmitEmptyInterrupt);
            if (tessera_serial_consumer_prepare_to_sleep(&tx_) == 0)
                continue; // bytes arrived meanwhile
            return;
        }
        const uint8_t status = ports_->read(UartRegister::LineStatus);
        note_line_status(status);
        if ((status & TransmitFifoEmpty) == 0) {
            set_interrupts(interrupt_enable_ | TransmitEmptyInterrupt);
            return;
        }
        uint8_t chunk[FifoBytes];
        const long count = tessera_serial_peek(&tx_, chunk, sizeof chunk);
        for (long i = 0; i < count; ++i)
            ports_->write(UartRegister::Data, chunk[i]);
        if (count > 0) {
            (void)tessera_serial_discard(&tx_, static_cast<size_t>(count));
            counters_.transmitted += static_cast<uint64_t>(count);
            consumed_ = true;
        }
    }
}

void Uart16550Driver::note_line_status(uint8_t status)
{
    counters_.overruns += (status & Overrun) != 0;
    counters_.parity_errors += (status & ParityError) != 0;
    counters_.framing_errors += (status & FramingError) != 0;
    counters_.breaks += (status & BreakReceived) != 0;
}

void Uart16550Driver::set_interrupts(uint8_t enable)
{
    if (enable == interrupt_enable_)
        return;
    interrupt_enable_ = enable;
    ports_->write(UartRegister::InterruptEnable, enable);
}

// A signal only for a ring this call changed: one that brings the client nothing would only
// bring back a signal for nothing, and the two would wake each other for ever.
bool Uart16550Driver::client_wakeup()
{
    const bool output_room = consumed_ && tessera_serial_consumer_signal_needed(&tx_) != 0;
    const bool input = produced_ && tessera_serial_producer_signal_needed(&rx_) != 0;
    consumed_ = produced_ = false;
    return output_room || input;
}

} // namespace tessera::serial
