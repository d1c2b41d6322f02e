// The guest's COM1 as a serial-virtualiser client (user/services/vmm/serial_console.h): the
// guest's output leaves in whole lines and never blocks the VMM, a prompt leaves when the guest
// idles, and input reaches the guest only while its driver listens and never past its FIFO.
// The test plays the virtualiser: it consumes the client's transmit ring and produces its input.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "../serial/ring_region.h"
#include "serial_console.h"

namespace tessera::services::vmm {
namespace {

constexpr unsigned Data = 0, InterruptEnable = 1, FifoControl = 2, ModemControl = 4,
                   LineStatus = 5;
constexpr uint8_t LsrDataReady = 0x01, LsrOverrun = 0x02;

class SerialConsoleFixture : public ::testing::Test {
protected:
    void attach(size_t tx_bytes)
    {
        tx_ = std::make_unique<test::RingRegion>(tx_bytes);
        ASSERT_EQ(tessera_serial_attach_consumer(&virt_tx_, tx_->memory(), tx_bytes), 0);
        ASSERT_EQ(tessera_serial_attach_producer(&virt_rx_, rx_.memory(), rx_.bytes()), 0);
        ops_.signal = [](void* context) { ++static_cast<SerialConsoleFixture*>(context)->signals_; };
        ops_.wait = [](void* context) { ++static_cast<SerialConsoleFixture*>(context)->waits_; };
        ops_.context = this;
        ASSERT_EQ(tessera_serial_client_init(&client_, tx_->memory(), tx_bytes, rx_.memory(),
                                             rx_.bytes(), &ops_, TESSERA_SERIAL_DROP_WHEN_FULL),
                  TESSERA_SERIAL_OK);
    }
    void SetUp() override { attach(0x1000); }

    void guest_prints(const std::string& text)
    {
        for (char c : text)
            uart_.write(Data, uint8_t(c));
    }
    // What Linux's 8250 driver leaves at the end of its start-up: FIFOs on, received-data
    // interrupt enabled, OUT2 set.
    void guest_driver_listens()
    {
        uart_.write(FifoControl, 0x01);
        uart_.write(InterruptEnable, 0x01);
        uart_.write(ModemControl, 0x0b);
    }
    void host_types(const std::string& text)
    {
        ASSERT_EQ(tessera_serial_write(&virt_rx_, text.data(), text.size()), long(text.size()));
    }
    std::string guest_reads()
    {
        std::string text;
        while (uart_.read(LineStatus) & LsrDataReady)
            text.push_back(char(uart_.read(Data)));
        return text;
    }
    std::string virtualiser_receives() { return test::read_all(virt_tx_); }

    std::unique_ptr<test::RingRegion> tx_;
    test::RingRegion rx_{0x1000};
    tessera_serial_ring virt_tx_{}, virt_rx_{};
    tessera_serial_client_ops ops_{};
    tessera_serial_client client_{};
    int signals_ = 0, waits_ = 0;
    SerialConsole console_{client_};
    Uart16550 uart_{console_};
};

TEST_F(SerialConsoleFixture, TheGuestsLineReachesTheVirtualiserWholeAtItsNewline)
{
    ASSERT_EQ(tessera_serial_consumer_prepare_to_sleep(&virt_tx_), 1); // the virtualiser sleeps
    guest_prints("Linux version 6.1");
    EXPECT_EQ(virtualiser_receives(), "");
    EXPECT_EQ(signals_, 0); // a partial line wakes nobody
    guest_prints(".0\nnext");
    EXPECT_EQ(signals_, 1);
    EXPECT_EQ(virtualiser_receives(), "Linux version 6.1.0\n");
}

TEST_F(SerialConsoleFixture, APromptLeavesWhenTheGuestGoesIdle)
{
    guest_prints("/ # ");
    EXPECT_EQ(virtualiser_receives(), "");
    console_.idle();
    EXPECT_EQ(virtualiser_receives(), "/ # ");
    console_.idle(); // nothing buffered: nothing sent
    EXPECT_EQ(virtualiser_receives(), "");
}

TEST_F(SerialConsoleFixture, AFloodingGuestLosesLinesButNeverWaits)
{
    attach(TESSERA_SERIAL_CONTROL_BYTES + TESSERA_SERIAL_MIN_CAPACITY);
    const std::string line = "0123456789abcdef0123456789abcdef\n"; // 33 bytes: one fits in 64
    for (int i = 0; i < 100; ++i)
        guest_prints(line);
    EXPECT_EQ(waits_, 0);
    EXPECT_EQ(console_.dropped_bytes(), 99u * line.size());
    EXPECT_EQ(virtualiser_receives(), line);
    guest_prints(line); // room again once the virtualiser drained the ring
    EXPECT_EQ(virtualiser_receives(), line);
}

TEST_F(SerialConsoleFixture, InputWaitsInTheRingUntilTheGuestsDriverListens)
{
    host_types("ls\n");
    EXPECT_FALSE(uart_.receive_from(console_));
    EXPECT_EQ(guest_reads(), "");
    uart_.write(InterruptEnable, 0x01); // the probe's enables without OUT2: still not listening
    EXPECT_FALSE(uart_.receive_from(console_));
    guest_driver_listens();
    EXPECT_TRUE(uart_.receive_from(console_));
    EXPECT_TRUE(uart_.interrupt_pending());
    EXPECT_EQ(guest_reads(), "ls\n");
    EXPECT_FALSE(uart_.receive_from(console_)); // drained: nothing more to move
}

TEST_F(SerialConsoleFixture, InputBeyondTheFifoStaysInTheRingAndIsNeverOverrun)
{
    guest_driver_listens();
    const std::string typed = "a line longer than one sixteen-byte FIFO\n";
    host_types(typed);
    std::string read;
    for (int round = 0; round < 10 && read.size() < typed.size(); ++round) {
        EXPECT_TRUE(uart_.receive_from(console_));
        EXPECT_LE(uart_.receive_queue_bytes(), UartFifoBytes);
        EXPECT_EQ(uart_.read(LineStatus) & LsrOverrun, 0);
        read += guest_reads();
    }
    EXPECT_EQ(read, typed);
}

TEST_F(SerialConsoleFixture, WithFifosOffTheGuestTakesOneByteAtATime)
{
    uart_.write(InterruptEnable, 0x01);
    uart_.write(ModemControl, 0x08);
    host_types("xy");
    EXPECT_TRUE(uart_.receive_from(console_));
    EXPECT_EQ(uart_.receive_queue_bytes(), 1u);
    EXPECT_EQ(guest_reads(), "x");
    EXPECT_TRUE(uart_.receive_from(console_));
    EXPECT_EQ(guest_reads(), "y");
}

} // namespace
} // namespace tessera::services::vmm
