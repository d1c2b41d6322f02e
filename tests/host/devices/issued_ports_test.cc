#include <bitset>
#include <random>

#include <gtest/gtest.h>

#include "ioport/issued_ports.h"

namespace tessera::core {
namespace {

IoPort port(unsigned p)
{
    return IoPort{static_cast<uint16_t>(p)};
}

TEST(IssuedPorts, EverythingIsFreeAtFirst)
{
    IssuedPorts ports;
    EXPECT_TRUE(ports.is_free(port(0), port(0xffff)));
}

TEST(IssuedPorts, ClaimedRangeIsNotFreeAndItsNeighboursAre)
{
    IssuedPorts ports;
    ports.claim(port(0x2f8), port(0x2ff));
    EXPECT_FALSE(ports.is_free(port(0x2f8), port(0x2f8)));
    EXPECT_FALSE(ports.is_free(port(0x2ff), port(0x2ff)));
    EXPECT_FALSE(ports.is_free(port(0x200), port(0x2f8)));
    EXPECT_FALSE(ports.is_free(port(0x2fc), port(0x400)));
    EXPECT_TRUE(ports.is_free(port(0x2f0), port(0x2f7)));
    EXPECT_TRUE(ports.is_free(port(0x300), port(0x307)));
}

TEST(IssuedPorts, RangesAcrossWordBoundariesAndTheWholeSpace)
{
    IssuedPorts ports;
    ports.claim(port(60), port(200)); // partial word, two whole words, partial word
    for (unsigned p : {60u, 63u, 64u, 127u, 128u, 191u, 192u, 200u})
        EXPECT_FALSE(ports.is_free(port(p), port(p))) << p;
    EXPECT_TRUE(ports.is_free(port(0), port(59)));
    EXPECT_TRUE(ports.is_free(port(201), port(0xffff)));
    ports.release(port(60), port(200));
    EXPECT_TRUE(ports.is_free(port(0), port(0xffff)));
    ports.claim(port(0), port(0xffff));
    EXPECT_FALSE(ports.is_free(port(0xffff), port(0xffff)));
    EXPECT_FALSE(ports.is_free(port(0), port(0)));
}

TEST(IssuedPorts, ReleaseFreesOnlyItsOwnRange)
{
    IssuedPorts ports;
    ports.claim(port(0x40), port(0x43));
    ports.claim(port(0x44), port(0x47));
    ports.release(port(0x40), port(0x43));
    EXPECT_TRUE(ports.is_free(port(0x40), port(0x43)));
    EXPECT_FALSE(ports.is_free(port(0x44), port(0x44)));
}

// Random claims and releases against a one-bit-per-port reference.
TEST(IssuedPorts, AgreesWithABitsetReference)
{
    const unsigned seed = 6;
    std::mt19937 random(seed);
    IssuedPorts ports;
    std::bitset<IssuedPorts::PortCount> reference;
    for (int step = 0; step < 4000; step++) {
        unsigned first = random() % IssuedPorts::PortCount;
        unsigned last = std::min<unsigned>(first + random() % 300, 0xffff);
        bool free = true;
        for (unsigned p = first; p <= last; p++)
            free = free && !reference[p];
        ASSERT_EQ(ports.is_free(port(first), port(last)), free)
            << "seed " << seed << " step " << step;
        if (free && random() % 2 == 0) {
            ports.claim(port(first), port(last));
            for (unsigned p = first; p <= last; p++)
                reference[p] = true;
        } else if (random() % 3 == 0) {
            ports.release(port(first), port(last));
            for (unsigned p = first; p <= last; p++)
                reference[p] = false;
        }
    }
}

} // namespace
} // namespace tessera::core
