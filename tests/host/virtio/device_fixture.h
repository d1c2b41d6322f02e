// A fake virtio-blk device, a transport over it and DMA memory in the host: what the driver
// core tests start from. Bus addresses are host pointers.
#pragma once

#include "block_device.h"
#include "fake_virtio_blk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace tessera::drivers::virtio_blk::test {

constexpr uint64_t AllFeatures = virtio::FeatureVersion1 | virtio::FeatureEventIndex | FeatureFlush |
                                 FeatureBlockSize | FeatureSegMax;

struct AlignedBuffer {
    explicit AlignedBuffer(size_t size_)
        : size(size_), bytes(static_cast<uint8_t*>(std::aligned_alloc(4096, size_)))
    {
        std::memset(bytes.get(), 0, size);
    }
    uint8_t* data() { return bytes.get(); }
    uint64_t bus(size_t offset = 0) { return reinterpret_cast<uint64_t>(bytes.get() + offset); }
    struct Free {
        void operator()(uint8_t* p) const { std::free(p); }
    };
    size_t size;
    std::unique_ptr<uint8_t, Free> bytes;
};

class DeviceFixture : public ::testing::Test {
protected:
    explicit DeviceFixture(uint64_t features = AllFeatures, uint64_t sectors = 8 * 1024)
        : fake(sectors, features),
          transport(fake.common(), fake.notify(), fake.isr(), fake.device(),
                    virtio::test::FakeVirtioBlk::NotifyMultiplier),
          dma(16384), data(1 << 20)
    {
        for (size_t i = 0; i < fake.disk.size(); ++i)
            fake.disk[i] = uint8_t(i * 7 + i / 4096);
    }
    DmaRegion region() { return DmaRegion{dma.data(), dma.bus(), dma.size}; }
    DeviceFacts start_device(uint16_t vector = virtio::NoVector)
    {
        auto facts = device.start(transport, region(), vector, 256);
        EXPECT_TRUE(facts) << (facts ? "" : facts.error().what);
        return facts ? facts.value() : DeviceFacts{};
    }
    uint8_t disk_byte(uint64_t block, uint32_t offset) { return fake.disk[block * 4096 + offset]; }

    virtio::test::FakeVirtioBlk fake;
    virtio::PciTransport transport;
    AlignedBuffer dma;
    AlignedBuffer data;
    BlockDevice device;
};

} // namespace tessera::drivers::virtio_blk::test
