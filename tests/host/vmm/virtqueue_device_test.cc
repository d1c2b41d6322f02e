// Split virtqueues from the device side: a virtio-blk style chain (header, data, status), indirect
// tables, the used ring and interrupt suppression, and every malformed ring a hostile driver can
// write refused without touching memory outside guest RAM.
#include "virtqueue_device.h"

#include <gtest/gtest.h>

#include <string.h>

#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint16_t Next = 1, Write = 2, Indirect = 4;
constexpr uint64_t Desc = 0x1000, Avail = 0x2000, Used = 0x3000;
constexpr uint16_t Size = 8;

struct QueueFixture : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20, 0);
    GuestRam guest{ram.data(), ram.size()};
    uint16_t avail_index = 0;

    template <class T> void store(uint64_t at, T value) { memcpy(&ram[at], &value, sizeof value); }
    template <class T> T load(uint64_t at)
    {
        T value;
        memcpy(&value, &ram[at], sizeof value);
        return value;
    }
    void descriptor(uint64_t table, uint16_t i, uint64_t address, uint32_t length, uint16_t flags,
                    uint16_t next = 0)
    {
        uint64_t at = table + 16 * i;
        store(at, address);
        store(at + 8, length);
        store(at + 12, flags);
        store(at + 14, next);
    }
    void offer(uint16_t head)
    {
        store<uint16_t>(Avail + 4 + 2 * (avail_index % Size), head);
        ++avail_index;
        store<uint16_t>(Avail + 2, avail_index);
    }
    VirtqueueDevice queue()
    {
        auto created = VirtqueueDevice::create(guest, VirtqueueLayout{Desc, Avail, Used, Size});
        EXPECT_TRUE(created) << created.error().what;
        return created.value();
    }
    std::string refusal(VirtqueueDevice& q)
    {
        DescriptorChain chain;
        auto got = q.next(chain);
        return got ? std::string("accepted") : std::string(got.error().what);
    }
};

TEST_F(QueueFixture, TakesABlockRequestChainAndReturnsIt)
{
    descriptor(Desc, 0, 0x10000, 16, Next, 1);           // request header
    descriptor(Desc, 1, 0x20000, 4096, Next | Write, 2); // data the device fills
    descriptor(Desc, 2, 0x30000, 1, Write);              // status byte
    offer(0);
    VirtqueueDevice q = queue();
    DescriptorChain chain;
    auto got = q.next(chain);
    ASSERT_TRUE(got) << got.error().what;
    ASSERT_TRUE(got.value());
    EXPECT_EQ(chain.head, 0);
    ASSERT_EQ(chain.count, 3u);
    EXPECT_EQ(chain.readable_bytes, 16u);
    EXPECT_EQ(chain.writable_bytes, 4097u);
    EXPECT_TRUE(chain.segments[1].device_writes);
    EXPECT_EQ(chain.segments[2].address, 0x30000u);
    EXPECT_FALSE(q.next(chain).value()); // nothing more
    q.complete(0, 4097);
    EXPECT_EQ(load<uint16_t>(Used + 2), 1);
    EXPECT_EQ(load<uint32_t>(Used + 4), 0u);
    EXPECT_EQ(load<uint32_t>(Used + 8), 4097u);
    EXPECT_TRUE(q.driver_wants_interrupt());
    store<uint16_t>(Avail, 1); // VIRTQ_AVAIL_F_NO_INTERRUPT
    EXPECT_FALSE(q.driver_wants_interrupt());
}

TEST_F(QueueFixture, FollowsIndirectTables)
{
    constexpr uint64_t Table = 0x5000;
    descriptor(Table, 0, 0x10000, 16, Next, 2);
    descriptor(Table, 2, 0x20000, 512, Write);
    descriptor(Desc, 3, Table, 3 * 16, Indirect);
    offer(3);
    VirtqueueDevice q = queue();
    DescriptorChain chain;
    ASSERT_TRUE(q.next(chain).value());
    EXPECT_EQ(chain.head, 3);
    EXPECT_EQ(chain.count, 2u);
    EXPECT_EQ(chain.writable_bytes, 512u);
}

TEST_F(QueueFixture, WrapsTheRingsIndicesPastSixtyFiveThousand)
{
    descriptor(Desc, 0, 0x10000, 8, 0);
    VirtqueueDevice q = queue();
    for (unsigned round = 0; round < 70000; ++round) {
        offer(0);
        DescriptorChain chain;
        ASSERT_TRUE(q.next(chain).value()) << round;
        q.complete(0, 0);
    }
    EXPECT_EQ(load<uint16_t>(Used + 2), static_cast<uint16_t>(70000));
}

TEST_F(QueueFixture, RefusesBadLayouts)
{
    EXPECT_FALSE(VirtqueueDevice::create(guest, {Desc, Avail, Used, 6}));
    EXPECT_FALSE(VirtqueueDevice::create(guest, {Desc, Avail, Used, 0}));
    EXPECT_FALSE(VirtqueueDevice::create(guest, {Desc + 8, Avail, Used, Size}));
    EXPECT_FALSE(VirtqueueDevice::create(guest, {Desc, Avail, Used + 2, Size}));
    EXPECT_FALSE(VirtqueueDevice::create(guest, {Desc, Avail, ram.size() - 16, Size}));
    EXPECT_FALSE(VirtqueueDevice::create(guest, {~0ull - 15, Avail, Used, Size}));
}

TEST_F(QueueFixture, RefusesMalformedChains)
{
    struct Case {
        const char* reason;
        void (*build)(QueueFixture&);
    };
    const Case cases[] = {
        {"loops",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, 0x10000, 8, Next, 1);
             f.descriptor(Desc, 1, 0x10000, 8, Next, 0);
             f.offer(0);
         }},
        {"outside guest RAM",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, (1 << 20) - 4, 8, 0);
             f.offer(0);
         }},
        {"outside guest RAM",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, ~0ull - 2, 8, 0); // wraps around
             f.offer(0);
         }},
        {"readable buffer after a writable",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, 0x10000, 8, Next | Write, 1);
             f.descriptor(Desc, 1, 0x10000, 8, 0);
             f.offer(0);
         }},
        {"head index out of range", [](QueueFixture& f) { f.offer(Size); }},
        {"next index out of range",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, 0x10000, 8, Next, Size);
             f.offer(0);
         }},
        {"nested indirect",
         [](QueueFixture& f) {
             f.descriptor(0x5000, 0, 0x6000, 16, Indirect);
             f.descriptor(Desc, 0, 0x5000, 16, Indirect);
             f.offer(0);
         }},
        {"indirect descriptor with NEXT",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, 0x5000, 16, Indirect | Next, 1);
             f.offer(0);
         }},
        {"bad indirect table",
         [](QueueFixture& f) {
             f.descriptor(Desc, 0, 0x5000, 24, Indirect);
             f.offer(0);
         }},
        {"indirect chain loops",
         [](QueueFixture& f) {
             f.descriptor(0x5000, 0, 0x10000, 8, Next, 1);
             f.descriptor(0x5000, 1, 0x10000, 8, Next, 0);
             f.descriptor(Desc, 0, 0x5000, 32, Indirect);
             f.offer(0);
         }},
        {"ran more than a queue ahead",
         [](QueueFixture& f) { f.store<uint16_t>(Avail + 2, Size + 1); }},
    };
    for (const Case& c : cases) {
        std::fill(ram.begin(), ram.end(), 0);
        avail_index = 0;
        c.build(*this);
        VirtqueueDevice q = queue();
        std::string why = refusal(q);
        EXPECT_NE(why.find(c.reason), std::string::npos) << c.reason << ": " << why;
    }
}

TEST_F(QueueFixture, RefusesChainsLongerThanTheDeviceAccepts)
{
    constexpr uint64_t Table = 0x8000;
    constexpr uint16_t Count = MaxChainSegments + 1;
    for (uint16_t i = 0; i < Count; ++i)
        descriptor(Table, i, 0x10000, 1, i + 1 < Count ? Next : 0, static_cast<uint16_t>(i + 1));
    descriptor(Desc, 0, Table, 16 * (MaxChainSegments + 1), Indirect);
    offer(0);
    VirtqueueDevice q = queue();
    EXPECT_NE(refusal(q).find("longer than the device accepts"), std::string::npos);
}

} // namespace
} // namespace tessera::services::vmm
