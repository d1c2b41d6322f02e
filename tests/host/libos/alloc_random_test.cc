// Seeded random allocation and freeing: the allocator's predicted physical addresses must always
// be where the fake kernel put the objects, objects never overlap, and freeing everything makes
// every untyped reusable from its start.
#include "fake_kernel.h"

#include <tessera/alloc/object_allocator.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <vector>

using namespace tessera::alloc;
using tessera::libos::PAddr;
using tessera::libos::raw;

TEST(AllocRandom, PredictionsMatchTheKernelAndObjectsNeverOverlap)
{
    const seL4_Word types[] = {seL4_EndpointObject, seL4_NotificationObject, seL4_TCBObject,
                               seL4_X86_4K,         seL4_CapTableObject,     seL4_UntypedObject};
    for (unsigned seed = 1; seed <= 20; ++seed) {
        SCOPED_TRACE(seed);
        fake::reset();
        auto slots = std::make_unique<SlotAllocator>();
        UntypedAllocator untypeds{*slots};
        ObjectAllocator objects{*slots, untypeds};
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 3000}));
        fake::add_untyped(10, 0x1000000, 24);
        fake::add_untyped(11, 0x4000000, 17);
        ASSERT_TRUE(untypeds.add(CPtr{10}, PAddr{0x1000000}, SizeBits{24}, Memory::Ram));
        ASSERT_TRUE(untypeds.add(CPtr{11}, PAddr{0x4000000}, SizeBits{17}, Memory::Ram));
        std::mt19937 random(seed);
        std::vector<Object> live;
        for (int step = 0; step < 600; ++step) {
            if (!live.empty() && random() % 3 == 0) {
                const size_t victim = random() % live.size();
                ASSERT_TRUE(objects.free(live[victim]));
                live.erase(live.begin() + static_cast<long>(victim));
                continue;
            }
            const seL4_Word type = types[random() % 6];
            const seL4_Word bits = type == seL4_CapTableObject  ? 1 + random() % 6
                                   : type == seL4_UntypedObject ? 4 + random() % 14
                                                                : 0;
            auto object = objects.allocate(type, SizeBits{bits});
            if (!object) {
                ASSERT_EQ(object.error().code, seL4_NotEnoughMemory);
                continue;
            }
            const fake::Cap* cap = fake::kernel.slot(raw(object.value().cap));
            ASSERT_NE(cap, nullptr);
            ASSERT_EQ(cap->type, type);
            ASSERT_EQ(cap->paddr, object.value().paddr.raw());
            live.push_back(object.value());
        }
        // No two live objects share a byte.
        std::map<seL4_Word, seL4_Word> ranges;
        for (const Object& o : live) {
            const seL4_Word size = seL4_Word{1} << object_size_bits(o.type, o.size_bits);
            auto next = ranges.lower_bound(o.paddr.raw());
            if (next != ranges.end()) {
                ASSERT_LE(o.paddr.raw() + size, next->first);
            }
            if (next != ranges.begin()) {
                auto previous = std::prev(next);
                ASSERT_LE(previous->first + previous->second, o.paddr.raw());
            }
            ranges[o.paddr.raw()] = size;
        }
        for (const Object& o : live)
            ASSERT_TRUE(objects.free(o));
        // Only chunks stay live (in their parents); every other untyped is empty again.
        for (unsigned i = 0; i < untypeds.count(); ++i) {
            unsigned chunks = 0;
            for (unsigned j = 0; j < untypeds.count(); ++j) {
                chunks += untypeds.record(j).parent == static_cast<int>(i);
            }
            EXPECT_EQ(untypeds.record(i).live, chunks) << i;
            if (chunks == 0) {
                EXPECT_EQ(untypeds.record(i).watermark, 0u) << i;
            }
        }
    }
}
