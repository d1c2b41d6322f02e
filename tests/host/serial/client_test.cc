// The serial client library (tessera/serial_client.h): line buffering, whole lines into the ring,
// waiting for or dropping on a full ring, signals only to a sleeping peer, input, and recovery
// from a peer that breaks the ring indices. The peer is a fake that drains the ring when waited on.

#include <gtest/gtest.h>
#include <tessera/serial_client.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "ring_region.h"

namespace {

using AlignedRegion = tessera::test::RingRegion;

// The virtualiser's side of one client: consumes the client's transmit ring, produces its input.
class ClientFixture : public ::testing::Test {
protected:
    void attach(size_t tx_bytes, tessera_serial_full_policy policy)
    {
        tx_ = std::make_unique<AlignedRegion>(tx_bytes);
        rx_ = std::make_unique<AlignedRegion>(0x1000);
        ASSERT_EQ(tessera_serial_attach_consumer(&peer_tx_, tx_->memory(), tx_bytes), 0);
        ASSERT_EQ(tessera_serial_attach_producer(&peer_rx_, rx_->memory(), 0x1000), 0);
        ops_.signal = [](void* context) { static_cast<ClientFixture*>(context)->signals_++; };
        ops_.wait = [](void* context) { static_cast<ClientFixture*>(context)->on_wait(); };
        ops_.waited = [](void* context) { static_cast<ClientFixture*>(context)->waited_++; };
        ops_.context = this;
        ASSERT_EQ(tessera_serial_client_init(&client_, tx_->memory(), tx_bytes,
                                             rx_->memory(), 0x1000, &ops_, policy),
                  TESSERA_SERIAL_OK);
    }
    void SetUp() override { attach(0x1000, TESSERA_SERIAL_WAIT_WHEN_FULL); }

    void on_wait()
    {
        waits_++;
        if (while_waiting_)
            while_waiting_();
    }
    // What the virtualiser has been given so far, taken out of the ring.
    std::string drain() { return tessera::test::read_all(peer_tx_); }
    void write(const std::string& text)
    {
        EXPECT_EQ(tessera_serial_client_write(&client_, text.data(), text.size()),
                  static_cast<long>(text.size()));
    }

    std::unique_ptr<AlignedRegion> tx_, rx_;
    tessera_serial_ring peer_tx_{}, peer_rx_{};
    tessera_serial_client_ops ops_{};
    tessera_serial_client client_{};
    int signals_ = 0, waits_ = 0, waited_ = 0;
    std::function<void()> while_waiting_;
};

TEST_F(ClientFixture, ALineReachesTheRingOnlyWhenItIsComplete)
{
    write("hello, ");
    EXPECT_EQ(drain(), "");
    write("world\nnext");
    EXPECT_EQ(drain(), "hello, world\n");
    tessera_serial_client_flush(&client_);
    EXPECT_EQ(drain(), "next");
    tessera_serial_client_flush(&client_); // nothing buffered: nothing sent
    EXPECT_EQ(drain(), "");
}

TEST_F(ClientFixture, AnOverlongLineGoesOutInPiecesOfTheLineBuffer)
{
    const std::string line(TESSERA_SERIAL_CLIENT_LINE_MAX + 10, 'x');
    write(line);
    EXPECT_EQ(drain(), std::string(TESSERA_SERIAL_CLIENT_LINE_MAX, 'x'));
    write("\n");
    EXPECT_EQ(drain(), std::string(10, 'x') + "\n");
}

TEST_F(ClientFixture, SignalsOnlyAPeerThatAskedAndOncePerRequest)
{
    write("one\n");
    EXPECT_EQ(signals_, 0); // the virtualiser is awake
    drain();
    ASSERT_EQ(tessera_serial_consumer_prepare_to_sleep(&peer_tx_), 1);
    write("two\nthree\n");
    EXPECT_EQ(signals_, 1);
}

TEST_F(ClientFixture, NeverSignalsForNothing)
{
    ASSERT_EQ(tessera_serial_consumer_prepare_to_sleep(&peer_tx_), 1);
    tessera_serial_client_flush(&client_);
    write("");
    EXPECT_EQ(signals_, 0);
    EXPECT_EQ(tx_->control().consumer_wants_signal, 1u); // kept for the next line
}

TEST_F(ClientFixture, AFullRingMakesTheWriterWaitAndTheLineStaysWhole)
{
    attach(128 + 64, TESSERA_SERIAL_WAIT_WHEN_FULL); // a 64-byte ring
    const std::string first(50, 'a');
    write(first + "\n"); // 51 bytes in
    std::string seen;
    while_waiting_ = [&] { seen += drain(); };
    write(std::string(20, 'b') + "\n"); // 21 do not fit in the 13 left
    EXPECT_EQ(waits_, 1);
    EXPECT_EQ(waited_, 1);
    seen += drain();
    EXPECT_EQ(seen, first + "\n" + std::string(20, 'b') + "\n");
    EXPECT_EQ(client_.dropped_bytes, 0u);
}

TEST_F(ClientFixture, AFullRingDropsWholeLinesUnderTheDropPolicy)
{
    attach(128 + 64, TESSERA_SERIAL_DROP_WHEN_FULL);
    write(std::string(50, 'a') + "\n");
    write(std::string(20, 'b') + "\n");
    write("c\n");
    EXPECT_EQ(waits_, 0);
    EXPECT_EQ(client_.dropped_bytes, 21u);
    EXPECT_EQ(drain(), std::string(50, 'a') + "\nc\n"); // no half line of b's
}

TEST_F(ClientFixture, ALineLargerThanTheRingIsSentInPiecesWhileWaiting)
{
    attach(128 + 64, TESSERA_SERIAL_WAIT_WHEN_FULL);
    std::string seen;
    while_waiting_ = [&] { seen += drain(); };
    const std::string line(200, 'z');
    write(line.substr(0, 150)); // less than the line buffer, more than the ring
    tessera_serial_client_flush(&client_);
    seen += drain();
    EXPECT_EQ(seen, line.substr(0, 150));
    EXPECT_GE(waits_, 2);
}

TEST_F(ClientFixture, ReadReturnsInputAndAsksForASignalWhenThereIsNone)
{
    EXPECT_EQ(rx_->control().consumer_wants_signal, 1u); // armed by init
    ASSERT_EQ(tessera_serial_write(&peer_rx_, "ls\n", 3), 3);
    EXPECT_TRUE(tessera_serial_producer_signal_needed(&peer_rx_));
    char buffer[16];
    EXPECT_EQ(tessera_serial_client_read(&client_, buffer, sizeof buffer), 3);
    EXPECT_EQ(std::string(buffer, 3), "ls\n");
    EXPECT_EQ(rx_->control().consumer_wants_signal, 0u);
    EXPECT_EQ(tessera_serial_client_read(&client_, buffer, sizeof buffer), 0);
    EXPECT_EQ(rx_->control().consumer_wants_signal, 1u); // the next input will signal
}

TEST_F(ClientFixture, ReadWaitSleepsUntilInputArrives)
{
    while_waiting_ = [&] { ASSERT_EQ(tessera_serial_write(&peer_rx_, "y", 1), 1); };
    char byte = 0;
    EXPECT_EQ(tessera_serial_client_read_wait(&client_, &byte, 1), 1);
    EXPECT_EQ(byte, 'y');
    EXPECT_EQ(waits_, 1);
    EXPECT_EQ(waited_, 1);
}

TEST_F(ClientFixture, BrokenTransmitIndicesAreCountedAndTheClientCarriesOn)
{
    write("before\n");
    tx_->control().head = 0x40000000u; // the peer claims to have read bytes never written
    write("lost\n");
    EXPECT_EQ(client_.corrupt_events, 1u);
    EXPECT_EQ(client_.dropped_bytes, 5u);
    tessera_serial_resynchronise_consumer(&peer_tx_); // the peer adopts the resynchronised ring
    write("after\n");
    EXPECT_EQ(drain(), "after\n");
}

TEST_F(ClientFixture, BrokenReceiveIndicesReadAsNothingAndAreCounted)
{
    rx_->control().tail = 0x12345678u;
    char buffer[8];
    EXPECT_EQ(tessera_serial_client_read(&client_, buffer, sizeof buffer), 0);
    EXPECT_EQ(client_.corrupt_events, 1u);
    EXPECT_EQ(rx_->control().head, 0x12345678u);
}

TEST_F(ClientFixture, PutIsAnOutputHookForPrintf)
{
    for (char c : std::string("via put\n"))
        tessera_serial_client_put(&client_, c);
    EXPECT_EQ(drain(), "via put\n");
}

TEST(SerialClient, InitRefusesMissingOpsAndBadRegions)
{
    AlignedRegion tx(0x1000), rx(0x1000);
    tessera_serial_client client{};
    tessera_serial_client_ops ops{};
    EXPECT_EQ(tessera_serial_client_init(&client, tx.memory(), 0x1000, rx.memory(), 0x1000,
                                         &ops, TESSERA_SERIAL_WAIT_WHEN_FULL),
              TESSERA_SERIAL_BAD_REGION);
    ops.signal = [](void*) {};
    ops.wait = [](void*) {};
    EXPECT_EQ(tessera_serial_client_init(&client, tx.memory(), 100, rx.memory(), 0x1000,
                                         &ops, TESSERA_SERIAL_WAIT_WHEN_FULL),
              TESSERA_SERIAL_BAD_REGION);
    EXPECT_EQ(tessera_serial_client_init(&client, tx.memory(), 0x1000, rx.memory(), 0x1000,
                                         &ops, TESSERA_SERIAL_WAIT_WHEN_FULL),
              TESSERA_SERIAL_OK);
}

} // namespace
