// The malloc allocator: random allocate/free/reallocate sequences checking that blocks never
// overlap, stay aligned and keep their contents, and that freeing everything coalesces fully.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "tessera/libc/heap.h"

namespace libc = tessera::libc;

namespace {

class HeapFixture : public ::testing::Test {
protected:
    static constexpr size_t RegionSize = 1 << 20;

    void SetUp() override
    {
        region_.resize(RegionSize);
        ASSERT_EQ(heap_.initialise(region_.data(), region_.size()), libc::HeapStatus::Ok);
    }

    struct Live {
        size_t size;
        unsigned char tag;
    };

    size_t below(size_t limit) { return random_() % limit; }

    size_t random_size()
    {
        switch (below(8)) {
        case 0:
            return 0;
        case 1:
            return below(8192);
        default:
            return below(256);
        }
    }

    void expect_intact(unsigned char* pointer, const Live& live)
    {
        for (size_t i = 0; i < live.size; ++i)
            ASSERT_EQ(pointer[i], live.tag)
                << "block " << static_cast<void*>(pointer) << " byte " << i;
    }

    // Records a new block after checking it lies inside the region, is aligned and overlaps no
    // other live block; then fills it with its own tag.
    void adopt(void* raw, size_t size, size_t alignment)
    {
        auto* pointer = static_cast<unsigned char*>(raw);
        ASSERT_EQ(reinterpret_cast<uintptr_t>(pointer) % alignment, 0u);
        ASSERT_GE(pointer, region_.data());
        ASSERT_LE(pointer + size, region_.data() + region_.size());
        ASSERT_GE(heap_.usable_size(pointer), size);
        auto after = live_.lower_bound(pointer);
        if (after != live_.end()) {
            ASSERT_LE(pointer + std::max<size_t>(size, 1), after->first);
        }
        if (after != live_.begin()) {
            auto before = std::prev(after);
            ASSERT_LE(before->first + std::max<size_t>(before->second.size, 1), pointer);
        }
        const auto tag = static_cast<unsigned char>(below(256));
        std::memset(pointer, tag, size);
        live_[pointer] = Live{size, tag};
    }

    unsigned char* random_live()
    {
        auto it = live_.begin();
        std::advance(it, static_cast<long>(below(live_.size())));
        return it->first;
    }

    void random_step()
    {
        const size_t choice = below(10);
        if (live_.empty() || choice < 4) {
            const size_t size = random_size();
            if (void* pointer = heap_.allocate(size))
                adopt(pointer, size, 16);
        } else if (choice == 4) {
            const size_t alignment = size_t{32} << below(8);
            const size_t size = random_size();
            if (void* pointer = heap_.allocate_aligned(alignment, size))
                adopt(pointer, size, alignment);
        } else if (choice < 8) {
            unsigned char* pointer = random_live();
            expect_intact(pointer, live_[pointer]);
            ASSERT_EQ(heap_.release(pointer), libc::HeapStatus::Ok);
            live_.erase(pointer);
        } else {
            unsigned char* pointer = random_live();
            const Live old = live_[pointer];
            expect_intact(pointer, old);
            const size_t size = random_size();
            void* moved = heap_.reallocate(pointer, size);
            if (size == 0) {
                ASSERT_EQ(moved, nullptr);
                live_.erase(pointer);
                return;
            }
            if (moved == nullptr)
                return; // out of memory: the old block must stay as it was
            live_.erase(pointer);
            auto* bytes = static_cast<unsigned char*>(moved);
            for (size_t i = 0; i < std::min(size, old.size); ++i)
                ASSERT_EQ(bytes[i], old.tag) << "reallocate lost byte " << i;
            adopt(moved, size, 16);
        }
    }

    void expect_fully_coalesced()
    {
        const auto statistics = heap_.statistics();
        EXPECT_EQ(statistics.used_blocks, 0u);
        EXPECT_EQ(statistics.free_blocks, 1u);
        EXPECT_EQ(statistics.largest_free, heap_.capacity() + 16);
        EXPECT_NE(heap_.allocate(heap_.capacity()), nullptr); // the whole region in one piece
    }

    std::mt19937_64 random_{42};
    std::vector<unsigned char> region_;
    libc::Heap heap_;
    std::map<unsigned char*, Live> live_;
};

TEST_F(HeapFixture, RandomSequencesKeepBlocksDisjointAlignedAndIntact)
{
    for (int step = 0; step < 30000; ++step) {
        random_step();
        if (HasFatalFailure())
            return;
        if (step % 64 == 0) {
            ASSERT_TRUE(heap_.is_consistent()) << "step " << step;
        }
    }
    ASSERT_TRUE(heap_.is_consistent());
    EXPECT_GT(live_.size(), 10u);
    // Free what is left in random order and check the heap becomes one block again.
    while (!live_.empty()) {
        unsigned char* pointer = random_live();
        expect_intact(pointer, live_[pointer]);
        ASSERT_EQ(heap_.release(pointer), libc::HeapStatus::Ok);
        live_.erase(pointer);
        ASSERT_TRUE(heap_.is_consistent());
    }
    expect_fully_coalesced();
}

TEST_F(HeapFixture, ExhaustionReturnsNullAndFreeingAllCoalesces)
{
    std::vector<void*> blocks;
    while (void* pointer = heap_.allocate(1 + below(3000)))
        blocks.push_back(pointer);
    EXPECT_GT(blocks.size(), 100u);
    EXPECT_EQ(heap_.allocate(RegionSize), nullptr);
    std::shuffle(blocks.begin(), blocks.end(), random_);
    for (void* pointer : blocks)
        ASSERT_EQ(heap_.release(pointer), libc::HeapStatus::Ok);
    ASSERT_TRUE(heap_.is_consistent());
    expect_fully_coalesced();
}

TEST_F(HeapFixture, DoubleAndStrayFreesAreRejectedWithoutDamage)
{
    auto* a = static_cast<unsigned char*>(heap_.allocate(100));
    void* b = heap_.allocate(100);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(heap_.release(a + 16), libc::HeapStatus::InvalidPointer);
    EXPECT_EQ(heap_.release(a + 1), libc::HeapStatus::InvalidPointer);
    int outside = 0;
    EXPECT_EQ(heap_.release(&outside), libc::HeapStatus::InvalidPointer);
    EXPECT_EQ(heap_.release(a), libc::HeapStatus::Ok);
    EXPECT_EQ(heap_.release(a), libc::HeapStatus::InvalidPointer);
    EXPECT_EQ(heap_.release(nullptr), libc::HeapStatus::Ok);
    EXPECT_TRUE(heap_.is_consistent());
    EXPECT_EQ(heap_.release(b), libc::HeapStatus::Ok);
    expect_fully_coalesced();
}

TEST_F(HeapFixture, ReallocateGrowsInPlaceIntoAFreeNeighbour)
{
    void* a = heap_.allocate(64);
    void* b = heap_.allocate(256);
    void* c = heap_.allocate(64);
    ASSERT_EQ(heap_.release(b), libc::HeapStatus::Ok);
    EXPECT_EQ(heap_.reallocate(a, 200), a);
    EXPECT_TRUE(heap_.is_consistent());
    EXPECT_EQ(heap_.reallocate(a, 16), a); // shrinking never moves
    EXPECT_TRUE(heap_.is_consistent());
    ASSERT_EQ(heap_.release(a), libc::HeapStatus::Ok);
    ASSERT_EQ(heap_.release(c), libc::HeapStatus::Ok);
    expect_fully_coalesced();
}

TEST_F(HeapFixture, ImpossibleRequestsFailCleanly)
{
    EXPECT_EQ(heap_.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(heap_.allocate(SIZE_MAX - 15), nullptr);
    EXPECT_EQ(heap_.allocate_aligned(48, 16), nullptr); // not a power of two
    EXPECT_EQ(heap_.allocate_aligned(64, SIZE_MAX - 8), nullptr);
    void* a = heap_.allocate(10);
    EXPECT_EQ(heap_.reallocate(a, SIZE_MAX), nullptr);
    EXPECT_EQ(heap_.usable_size(a), 16u); // untouched by the failed reallocate
    EXPECT_TRUE(heap_.is_consistent());
}

TEST(Heap, ZeroSizeAllocationsAreDistinct)
{
    std::vector<unsigned char> region(4096);
    libc::Heap heap;
    ASSERT_EQ(heap.initialise(region.data(), region.size()), libc::HeapStatus::Ok);
    void* a = heap.allocate(0);
    void* b = heap.allocate(0);
    EXPECT_NE(a, nullptr);
    EXPECT_NE(a, b);
}

TEST(Heap, RejectsRegionsTooSmallForOneBlock)
{
    unsigned char region[64];
    libc::Heap heap;
    EXPECT_EQ(heap.initialise(region, 20), libc::HeapStatus::RegionTooSmall);
    EXPECT_EQ(heap.initialise(nullptr, 4096), libc::HeapStatus::RegionTooSmall);
    EXPECT_EQ(heap.allocate(1), nullptr); // still uninitialised
}

TEST(Heap, UnalignedRegionIsAlignedInwards)
{
    std::vector<unsigned char> region(1000);
    libc::Heap heap;
    ASSERT_EQ(heap.initialise(region.data() + 3, 997), libc::HeapStatus::Ok);
    auto* pointer = static_cast<unsigned char*>(heap.allocate(heap.capacity()));
    ASSERT_NE(pointer, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(pointer) % 16, 0u);
    EXPECT_GE(pointer, region.data() + 3);
    EXPECT_LE(pointer + heap.capacity(), region.data() + region.size());
}

} // namespace
