// The 16550 driver's logic (user/drivers/serial/uart) against a model of the chip: set-up, output
// through the FIFO sixteen bytes at a time with the transmit-empty interrupt only while bytes
// wait, interrupt-driven input, a full input ring holding input back in the UART, line errors,
// a client breaking its rings, and the interrupt line left low after every call.

#include <gtest/gtest.h>
#include <uart_16550.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "fake_uart.h"

namespace serial = tessera::serial;
using tessera::test::FakeUart;

#include "ring_region.h"

namespace {

using AlignedRegion = tessera::test::RingRegion;

class UartDriverFixture : public ::testing::Test {
protected:
    explicit UartDriverFixture(size_t rx_bytes = 0x1000) : tx_(0x1000), rx_(rx_bytes)
    {
        EXPECT_EQ(tessera_serial_attach_producer(&client_out_, tx_.memory(), tx_.bytes()), 0);
        EXPECT_EQ(tessera_serial_attach_consumer(&client_in_, rx_.memory(), rx_.bytes()), 0);
    }
    serial::UartInitError start(uint32_t baud = 115200)
    {
        return driver_.init(uart_, tx_.memory(), tx_.bytes(), rx_.memory(), rx_.bytes(), baud);
    }
    void client_writes(const std::string& text)
    {
        ASSERT_EQ(tessera_serial_write(&client_out_, text.data(), text.size()),
                  static_cast<long>(text.size()));
    }
    std::string client_reads() { return tessera::test::read_all(client_in_); }
    // What the PD does on its interrupt: serve, acknowledge, serve once more.
    bool interrupt()
    {
        bool wake = driver_.handle_interrupt();
        wake = driver_.handle_interrupt() || wake;
        return wake;
    }

    FakeUart uart_;
    serial::Uart16550Driver driver_;
    AlignedRegion tx_, rx_;
    tessera_serial_ring client_out_{}, client_in_{};
};

class SmallInputRingFixture : public UartDriverFixture {
protected:
    SmallInputRingFixture() : UartDriverFixture(128 + 64) {}
};

TEST_F(UartDriverFixture, ProgramsEightNoneOneWithFifosAndReceiveInterrupts)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    EXPECT_EQ(uart_.divisor(), 1u);
    EXPECT_EQ(uart_.line_control(), 0x03); // 8N1, divisor latch closed
    EXPECT_EQ(uart_.modem_control() & 0x08, 0x08); // OUT2 routes the interrupt on a PC
    EXPECT_EQ(uart_.interrupt_enable(), 0x05);     // received data and line status
    EXPECT_FALSE(uart_.interrupt_line());
}

TEST_F(UartDriverFixture, SetsTheDivisorForSlowerRatesAndRefusesImpossibleOnes)
{
    ASSERT_EQ(start(9600), serial::UartInitError::None);
    EXPECT_EQ(uart_.divisor(), 12u);
    EXPECT_EQ(start(1000), serial::UartInitError::BadBaudRate);
    EXPECT_EQ(start(0), serial::UartInitError::BadBaudRate);
}

TEST_F(UartDriverFixture, RefusesAPortWithNoUartBehindIt)
{
    uart_.present = false;
    EXPECT_EQ(start(), serial::UartInitError::NoDevice);
    EXPECT_STRNE(serial::describe(serial::UartInitError::NoDevice), "unknown error");
}

TEST_F(UartDriverFixture, RefusesBadRings)
{
    EXPECT_EQ(driver_.init(uart_, nullptr, 0x1000, rx_.memory(), rx_.bytes(), 115200),
              serial::UartInitError::BadRing);
}

TEST_F(UartDriverFixture, DeliversInputThatArrivedBeforeTheDriverStarted)
{
    uart_.receive("early");
    ASSERT_EQ(start(), serial::UartInitError::None);
    EXPECT_EQ(client_reads(), "early");
}

TEST_F(UartDriverFixture, SendsWhatTheClientWroteAndTurnsTheTransmitInterruptOffAfter)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    client_writes("hello, world\n");
    driver_.handle_client();
    EXPECT_EQ(uart_.transmitted(), "hello, world\n");
    EXPECT_EQ(uart_.interrupt_enable() & 0x02, 0);
    EXPECT_FALSE(uart_.interrupt_line());
    EXPECT_EQ(driver_.counters().transmitted, 13u);
}

TEST_F(UartDriverFixture, ASlowTransmitterIsFedSixteenBytesPerEmptyFifo)
{
    uart_.slow_transmitter = true;
    ASSERT_EQ(start(), serial::UartInitError::None);
    std::string text;
    for (int i = 0; i < 50; ++i)
        text.push_back(static_cast<char>('A' + i % 26));
    client_writes(text);
    driver_.handle_client();
    EXPECT_EQ(uart_.transmitted().size(), 16u);
    EXPECT_EQ(uart_.interrupt_enable() & 0x02, 0x02); // waits for the FIFO to empty
    for (int round = 0; round < 10 && uart_.transmitted().size() < text.size(); ++round) {
        uart_.finish_transmitting();
        EXPECT_TRUE(uart_.interrupt_line());
        interrupt();
    }
    uart_.finish_transmitting();
    interrupt();
    EXPECT_EQ(uart_.transmitted(), text);
    EXPECT_FALSE(uart_.transmit_fifo_ever_overfilled());
    EXPECT_EQ(uart_.interrupt_enable() & 0x02, 0); // nothing waits: off again
    EXPECT_FALSE(uart_.interrupt_line());
}

TEST_F(UartDriverFixture, SignalsAClientThatWaitsForRoomOrForInput)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    client_writes("x");
    tx_.control().producer_wants_signal = 1;
    EXPECT_TRUE(driver_.handle_client());
    EXPECT_FALSE(driver_.handle_client()); // no new request
    ASSERT_EQ(tessera_serial_consumer_prepare_to_sleep(&client_in_), 1);
    uart_.receive("y");
    uart_.character_timeout();
    EXPECT_TRUE(interrupt());
    EXPECT_EQ(client_reads(), "y");
}

// The other half of SerialVirtualiser.NeverSignalsTheDriverForNothing: the client's standing
// requests are answered only when the driver moved bytes.
TEST_F(UartDriverFixture, NeverSignalsTheClientForNothing)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    ASSERT_EQ(tessera_serial_consumer_prepare_to_sleep(&client_in_), 1);
    tx_.control().producer_wants_signal = 1;
    for (int round = 0; round < 3; ++round) {
        EXPECT_FALSE(driver_.handle_client());
        EXPECT_FALSE(interrupt());
    }
    EXPECT_EQ(rx_.control().consumer_wants_signal, 1u);
    EXPECT_EQ(tx_.control().producer_wants_signal, 1u);
    client_writes("x");
    EXPECT_TRUE(driver_.handle_client()); // room freed for a client that waits for it
}

TEST_F(UartDriverFixture, ReceivesOnTriggerAndOnCharacterTimeout)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    uart_.receive("0123456789"); // above the 8-byte trigger
    EXPECT_TRUE(uart_.interrupt_line());
    interrupt();
    EXPECT_FALSE(uart_.interrupt_line());
    uart_.receive("ab"); // below the trigger: only the timeout raises the line
    EXPECT_FALSE(uart_.interrupt_line());
    uart_.character_timeout();
    EXPECT_TRUE(uart_.interrupt_line());
    interrupt();
    EXPECT_EQ(client_reads(), "0123456789ab");
    EXPECT_EQ(driver_.counters().received, 12u);
}

TEST_F(SmallInputRingFixture, AFullInputRingHoldsInputInTheUartUntilTheClientReads)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    std::string input;
    for (int i = 0; i < 100; ++i)
        input.push_back(static_cast<char>('a' + i % 26));
    uart_.receive(input);
    interrupt();
    EXPECT_TRUE(driver_.is_receive_paused());
    EXPECT_EQ(uart_.interrupt_enable() & 0x01, 0); // receive interrupts off while paused
    EXPECT_FALSE(uart_.interrupt_line());
    EXPECT_EQ(rx_.control().producer_wants_signal, 1u);
    EXPECT_EQ(uart_.waiting_outside() + uart_.receive_fifo().size(), 100u - 64u);
    std::string got = client_reads();
    EXPECT_TRUE(tessera_serial_consumer_signal_needed(&client_in_)); // the client signals back
    driver_.handle_client();
    got += client_reads();
    driver_.handle_client();
    got += client_reads();
    EXPECT_EQ(got, input);
    EXPECT_FALSE(driver_.is_receive_paused());
    EXPECT_EQ(driver_.counters().receive_pauses, 1u);
    EXPECT_EQ(uart_.interrupt_enable() & 0x01, 0x01);
}

TEST_F(UartDriverFixture, CountsLineErrors)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    uart_.inject_line_status(0x02 | 0x08); // overrun and framing error
    EXPECT_TRUE(uart_.interrupt_line());
    interrupt();
    EXPECT_FALSE(uart_.interrupt_line());
    EXPECT_EQ(driver_.counters().overruns, 1u);
    EXPECT_EQ(driver_.counters().framing_errors, 1u);
    EXPECT_EQ(driver_.counters().parity_errors, 0u);
}

TEST_F(UartDriverFixture, AClientBreakingItsRingsLosesItsBytesAndNothingElse)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    client_writes("first\n");
    tx_.control().tail = 0x70000000u;
    driver_.handle_client();
    EXPECT_EQ(uart_.transmitted(), ""); // nothing wild was sent
    rx_.control().head = 0x1234u;
    uart_.receive("zz");
    uart_.character_timeout();
    interrupt();
    EXPECT_FALSE(uart_.interrupt_line());
    // A client that resynchronises carries on.
    tessera_serial_ring fresh{};
    ASSERT_EQ(tessera_serial_attach_producer(&fresh, tx_.memory(), tx_.bytes()), 0);
    ASSERT_EQ(tessera_serial_write(&fresh, "again\n", 6), 6);
    driver_.handle_client();
    EXPECT_EQ(uart_.transmitted(), "again\n");
}

TEST_F(UartDriverFixture, ASpuriousInterruptChangesNothing)
{
    ASSERT_EQ(start(), serial::UartInitError::None);
    const int before = uart_.register_accesses();
    EXPECT_FALSE(interrupt());
    EXPECT_EQ(uart_.register_accesses() - before, 2); // one identification read per call
    EXPECT_EQ(driver_.counters().interrupts, 0u);
}

} // namespace
