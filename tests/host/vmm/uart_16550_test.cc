// The guest's 16550A: what Linux's 8250 autoconfiguration probes (scratch register, FIFO bits,
// loopback), transmission to the sink, the receive FIFO with overrun, divisor latch, and the
// interrupt identification priorities and acknowledgements.
#include "uart_16550.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr unsigned Thr = 0, Ier = 1, Iir = 2, Fcr = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scr = 7;

struct RecordingSink final : ByteSink {
    std::vector<uint8_t> bytes;
    void transmit(uint8_t byte) override { bytes.push_back(byte); }
};

// Console input: `waiting` bytes, handed out at most `capacity` at a time; counts what it gave.
struct QueueSource final : ByteSource {
    std::string waiting;
    size_t largest_request = 0;
    size_t read(uint8_t* buffer, size_t capacity) override
    {
        largest_request = capacity > largest_request ? capacity : largest_request;
        const size_t count = capacity < waiting.size() ? capacity : waiting.size();
        for (size_t i = 0; i < count; ++i)
            buffer[i] = uint8_t(waiting[i]);
        waiting.erase(0, count);
        return count;
    }
};

struct UartFixture : ::testing::Test {
    RecordingSink sink;
    Uart16550 uart{sink};
};

TEST_F(UartFixture, PassesThe8250DriversProbeAsA16550A)
{
    uart.write(Scr, 0xa5);
    EXPECT_EQ(uart.read(Scr), 0xa5);
    uart.write(Ier, 0x0f);
    EXPECT_EQ(uart.read(Ier), 0x0f);
    uart.write(Ier, 0xff);
    EXPECT_EQ(uart.read(Ier), 0x0f); // upper bits are not implemented
    uart.write(Ier, 0);
    uart.write(Fcr, 0x01);
    EXPECT_EQ(uart.read(Iir) >> 6, 3); // both FIFO bits: a 16550A, not a 16550
    uart.write(Fcr, 0x00);
    EXPECT_EQ(uart.read(Iir) >> 6, 0);
    // Loopback with RTS and OUT2 set reads back CTS and DCD (0x90), as autoconfig checks.
    uart.write(Mcr, 0x10 | 0x0a);
    EXPECT_EQ(uart.read(Msr) & 0xf0, 0x90);
    uart.write(Mcr, 0x10 | 0x05); // DTR, OUT1: DSR, RI
    EXPECT_EQ(uart.read(Msr) & 0xf0, 0x60);
}

TEST_F(UartFixture, TransmitsToTheSinkAndIsAlwaysReadyToSendMore)
{
    for (uint8_t byte : {'o', 'k', '\n'})
        uart.write(Thr, byte);
    EXPECT_EQ(sink.bytes, (std::vector<uint8_t>{'o', 'k', '\n'}));
    EXPECT_EQ(uart.read(Lsr) & 0x60, 0x60);
}

TEST_F(UartFixture, LoopbackReturnsTransmittedBytesInsteadOfSendingThem)
{
    uart.write(Fcr, 0x01);
    uart.write(Mcr, 0x10);
    uart.write(Thr, 0x42);
    EXPECT_TRUE(sink.bytes.empty());
    EXPECT_EQ(uart.read(Lsr) & 0x01, 0x01);
    EXPECT_EQ(uart.read(Thr), 0x42);
    EXPECT_EQ(uart.read(Lsr) & 0x01, 0x00);
}

TEST_F(UartFixture, DivisorLatchHidesDataAndInterruptEnable)
{
    uart.write(Ier, 0x01);
    uart.write(Lcr, 0x83);
    uart.write(Thr, 0x01); // DLL: 115200 baud
    uart.write(Ier, 0x00); // DLM
    EXPECT_EQ(uart.read(Thr), 0x01);
    EXPECT_EQ(uart.read(Ier), 0x00);
    EXPECT_TRUE(sink.bytes.empty());
    uart.write(Lcr, 0x03);
    EXPECT_EQ(uart.read(Ier), 0x01);
    EXPECT_EQ(uart.read(Lcr), 0x03);
}

TEST_F(UartFixture, ReceiveFifoHoldsSixteenBytesThenOverruns)
{
    uart.write(Fcr, 0x01);
    for (unsigned i = 0; i < UartFifoBytes; ++i)
        EXPECT_TRUE(uart.receive(static_cast<uint8_t>('a' + i)));
    EXPECT_FALSE(uart.receive('!'));
    EXPECT_EQ(uart.receive_queue_bytes(), UartFifoBytes);
    uint8_t status = uart.read(Lsr);
    EXPECT_EQ(status & 0x03, 0x03);      // data ready, overrun
    EXPECT_EQ(uart.read(Lsr) & 0x02, 0); // overrun clears on read
    for (unsigned i = 0; i < UartFifoBytes; ++i)
        EXPECT_EQ(uart.read(Thr), 'a' + i);
    EXPECT_EQ(uart.read(Lsr) & 0x01, 0);
}

TEST_F(UartFixture, HoldsOneByteWithoutFifos)
{
    EXPECT_TRUE(uart.receive('x'));
    EXPECT_FALSE(uart.receive('y'));
    EXPECT_EQ(uart.read(Thr), 'x');
}

TEST_F(UartFixture, ReceiveRoomIsOneByteWithoutFifosAndTheFreeSpaceWithThem)
{
    EXPECT_EQ(uart.receive_room(), 1u);
    uart.receive('x');
    EXPECT_EQ(uart.receive_room(), 0u);
    uart.read(Thr);
    uart.write(Fcr, 0x01);
    EXPECT_EQ(uart.receive_room(), UartFifoBytes);
    uart.receive('a');
    uart.receive('b');
    EXPECT_EQ(uart.receive_room(), UartFifoBytes - 2);
}

// The states Linux's 8250 driver passes through: its probe's interrupt-enable test (MCR 0), its
// loopback test (LOOP with OUT2), then start-up (DTR, RTS, OUT2; receive and line-status
// interrupts). Only the last listens to the line.
TEST_F(UartFixture, ListensOnlyWithTheReceiveInterruptOut2AndNoLoopback)
{
    EXPECT_FALSE(uart.receiving());
    uart.write(Ier, 0x0f);
    EXPECT_FALSE(uart.receiving()); // probe: OUT2 off
    uart.write(Ier, 0x00);
    uart.write(Mcr, 0x1a);
    EXPECT_FALSE(uart.receiving());
    uart.write(Ier, 0x01);
    EXPECT_FALSE(uart.receiving()); // loopback cuts the receiver off the line
    uart.write(Mcr, 0x0b);
    uart.write(Ier, 0x05);
    EXPECT_TRUE(uart.receiving());
    uart.write(Ier, 0x00);
    EXPECT_FALSE(uart.receiving()); // shutdown
}

TEST_F(UartFixture, TakesConsoleInputOnlyWhileListeningAndOnlyAsMuchAsTheFifoHolds)
{
    QueueSource source;
    source.waiting = "twenty bytes of text";
    EXPECT_FALSE(uart.receive_from(source));
    EXPECT_EQ(source.waiting.size(), 20u); // not listening: nothing taken from the source
    uart.write(Fcr, 0x01);
    uart.write(Ier, 0x01);
    uart.write(Mcr, 0x0b);
    uart.receive('x');
    EXPECT_TRUE(uart.receive_from(source));
    EXPECT_EQ(source.largest_request, UartFifoBytes - 1);
    EXPECT_EQ(uart.receive_queue_bytes(), UartFifoBytes);
    EXPECT_EQ(source.waiting, " text"); // the rest stays in the source, none overrun
    EXPECT_EQ(uart.read(Lsr) & 0x02, 0);
    EXPECT_FALSE(uart.receive_from(source)); // full: nothing moves
    EXPECT_EQ(source.waiting, " text");
}

TEST_F(UartFixture, FifoClearDropsPendingInput)
{
    uart.write(Fcr, 0x01);
    uart.receive('x');
    uart.write(Fcr, 0x03);
    EXPECT_EQ(uart.receive_queue_bytes(), 0u);
}

TEST_F(UartFixture, RaisesAndAcknowledgesInterruptsInPriorityOrder)
{
    uart.write(Fcr, 0x01);
    EXPECT_FALSE(uart.interrupt_pending());
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x01);

    uart.write(Ier, 0x02); // THRE: raised at once, THR is empty
    EXPECT_TRUE(uart.interrupt_pending());
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x02);
    EXPECT_FALSE(uart.interrupt_pending()); // reading IIR acknowledged it
    uart.write(Thr, 'z');
    EXPECT_TRUE(uart.interrupt_pending()); // and sending makes THR empty again

    uart.write(Ier, 0x07);
    uart.receive('1');
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x04); // received data outranks THRE
    for (unsigned i = 0; i < UartFifoBytes; ++i)
        uart.receive('2');
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x06); // the overrun outranks both
    uart.read(Lsr);
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x04);
    while (uart.read(Lsr) & 0x01)
        uart.read(Thr);
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x02);
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x01);
}

TEST_F(UartFixture, ReportsModemStatusChangesOnce)
{
    uart.write(Ier, 0x08);
    // Out of loopback the line looks connected (CTS, DSR, DCD); loopback with only RTS keeps CTS
    // and drops DSR and DCD.
    uart.write(Mcr, 0x10 | 0x02);
    EXPECT_TRUE(uart.interrupt_pending());
    EXPECT_EQ(uart.read(Iir) & 0x0f, 0x00);
    EXPECT_EQ(uart.read(Msr), 0x10 | 0x02 | 0x08); // CTS, delta DSR, delta DCD
    EXPECT_EQ(uart.read(Msr), 0x10);
    uart.write(Mcr, 0x10 | 0x02 | 0x04); // OUT1: RI rises, no delta (only its fall counts)
    EXPECT_EQ(uart.read(Msr), 0x10 | 0x40);
    uart.write(Mcr, 0x10 | 0x02);
    EXPECT_EQ(uart.read(Msr), 0x10 | 0x04); // RI's trailing edge
    EXPECT_FALSE(uart.interrupt_pending());
}

TEST_F(UartFixture, IgnoresOffsetsOutsideItsEightRegisters)
{
    uart.write(8, 0x55);
    EXPECT_EQ(uart.read(8), 0xff);
    uart.write(Lsr, 0);
    EXPECT_EQ(uart.read(Lsr) & 0x60, 0x60);
}

} // namespace
} // namespace tessera::services::vmm
