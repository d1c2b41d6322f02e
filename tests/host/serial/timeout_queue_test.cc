// The timer service's timeout heap (user/services/timer/queue): deadline order, set order for
// equal deadlines, replacing and cancelling anywhere in the heap, expiry at the boundary, a full
// queue, and seeded random operations checked against a plain reference model.

#include <gtest/gtest.h>
#include <timeout_queue.h>

#include <map>
#include <random>
#include <tuple>
#include <vector>

using tessera::timer::Instant;
using tessera::timer::TimeoutId;
using tessera::timer::TimeoutQueue;

namespace {

std::vector<TimeoutId> expire(TimeoutQueue& queue, uint64_t now)
{
    std::vector<TimeoutId> fired;
    queue.expire_due(Instant{now}, [&](TimeoutId id) { fired.push_back(id); });
    return fired;
}

TEST(TimeoutQueue, ExpiresInDeadlineOrderAcrossClients)
{
    auto queue = std::make_unique<TimeoutQueue>();
    queue->set({2, 5}, Instant{300});
    queue->set({0, 1}, Instant{100});
    queue->set({1, 0}, Instant{200});
    queue->set({0, 2}, Instant{400});
    EXPECT_EQ(queue->size(), 4u);
    EXPECT_EQ(queue->earliest(), Instant{100});
    EXPECT_EQ(expire(*queue, 99), std::vector<TimeoutId>{});
    EXPECT_EQ(expire(*queue, 300), (std::vector<TimeoutId>{{0, 1}, {1, 0}, {2, 5}}));
    EXPECT_TRUE(queue->is_pending({0, 2}));
    EXPECT_FALSE(queue->is_pending({0, 1}));
    EXPECT_EQ(queue->earliest(), Instant{400});
}

TEST(TimeoutQueue, EqualDeadlinesExpireInTheOrderTheyWereSet)
{
    auto queue = std::make_unique<TimeoutQueue>();
    for (uint32_t i = 0; i < 10; ++i)
        queue->set({9 - i, i}, Instant{50});
    const auto fired = expire(*queue, 50);
    ASSERT_EQ(fired.size(), 10u);
    for (uint32_t i = 0; i < 10; ++i)
        EXPECT_EQ(fired[i], (TimeoutId{9 - i, i}));
}

TEST(TimeoutQueue, SettingASlotAgainReplacesItsTimeout)
{
    auto queue = std::make_unique<TimeoutQueue>();
    queue->set({0, 0}, Instant{100});
    queue->set({0, 1}, Instant{200});
    queue->set({0, 0}, Instant{300}); // later
    EXPECT_EQ(queue->size(), 2u);
    EXPECT_EQ(queue->earliest(), Instant{200});
    queue->set({0, 0}, Instant{50}); // earlier again
    EXPECT_EQ(queue->earliest(), Instant{50});
    EXPECT_EQ(expire(*queue, 1000), (std::vector<TimeoutId>{{0, 0}, {0, 1}}));
}

TEST(TimeoutQueue, CancelRemovesFromAnywhereAndSaysWhetherItWasPending)
{
    auto queue = std::make_unique<TimeoutQueue>();
    for (uint32_t i = 0; i < 20; ++i)
        queue->set({0, i}, Instant{1000 - i * 10});
    EXPECT_TRUE(queue->cancel({0, 19}));  // the root
    EXPECT_TRUE(queue->cancel({0, 0}));   // a leaf
    EXPECT_TRUE(queue->cancel({0, 10}));  // the middle
    EXPECT_FALSE(queue->cancel({0, 10})); // not any more
    EXPECT_FALSE(queue->cancel({3, 3}));  // never set
    EXPECT_EQ(queue->size(), 17u);
    const auto fired = expire(*queue, 2000);
    ASSERT_EQ(fired.size(), 17u);
    for (size_t i = 1; i < fired.size(); ++i)
        EXPECT_GT(fired[i - 1].slot, fired[i].slot); // later slots have earlier deadlines
}

TEST(TimeoutQueue, HoldsEverySlotOfEveryClient)
{
    auto queue = std::make_unique<TimeoutQueue>();
    for (uint32_t client = 0; client < TimeoutQueue::MaxClients; ++client)
        for (uint32_t slot = 0; slot < TimeoutQueue::Slots; ++slot)
            queue->set({client, slot}, Instant{(client * 7919u + slot * 104729u) % 100000u});
    EXPECT_EQ(queue->size(), TimeoutQueue::Capacity);
    uint64_t last = 0;
    uint32_t count = 0;
    queue->expire_due(Instant{~0ull}, [&](TimeoutId id) {
        const uint64_t deadline = (id.client * 7919u + id.slot * 104729u) % 100000u;
        EXPECT_GE(deadline, last);
        last = deadline;
        ++count;
    });
    EXPECT_EQ(count, TimeoutQueue::Capacity);
    EXPECT_TRUE(queue->is_empty());
}

TEST(TimeoutQueue, ValidIdsAreThoseOfTheQueue)
{
    EXPECT_TRUE(TimeoutQueue::is_valid({31, 63}));
    EXPECT_FALSE(TimeoutQueue::is_valid({32, 0}));
    EXPECT_FALSE(TimeoutQueue::is_valid({0, 64}));
}

// Random sets, cancels and expiries on a few clients, against a reference: a map from
// (deadline, sequence) to id.
TEST(TimeoutQueueProperty, MatchesAReferenceModelOverRandomOperations)
{
    for (uint32_t seed = 1; seed <= 30; ++seed) {
        std::mt19937_64 random(seed);
        auto queue = std::make_unique<TimeoutQueue>();
        std::map<std::tuple<uint64_t, uint64_t>, TimeoutId> model;
        std::map<std::tuple<uint32_t, uint32_t>, std::tuple<uint64_t, uint64_t>> where;
        uint64_t sequence = 0, now = 0;
        for (int step = 0; step < 5000; ++step) {
            const TimeoutId id{static_cast<uint32_t>(random() % 4),
                               static_cast<uint32_t>(random() % 8)};
            const auto key = std::make_tuple(id.client, id.slot);
            switch (random() % 4) {
            case 0:
            case 1: {
                const uint64_t deadline = now + random() % 500;
                queue->set(id, Instant{deadline});
                if (where.count(key) != 0)
                    model.erase(where[key]);
                where[key] = {deadline, sequence++};
                model[where[key]] = id;
                break;
            }
            case 2: {
                const bool expected = where.count(key) != 0;
                ASSERT_EQ(queue->cancel(id), expected) << "seed " << seed;
                if (expected) {
                    model.erase(where[key]);
                    where.erase(key);
                }
                break;
            }
            default: {
                now += random() % 200;
                std::vector<TimeoutId> expected;
                while (!model.empty() && std::get<0>(model.begin()->first) <= now) {
                    const TimeoutId fired = model.begin()->second;
                    expected.push_back(fired);
                    where.erase(std::make_tuple(fired.client, fired.slot));
                    model.erase(model.begin());
                }
                ASSERT_EQ(expire(*queue, now), expected) << "seed " << seed << " step " << step;
                break;
            }
            }
            ASSERT_EQ(queue->size(), model.size());
            if (!model.empty()) {
                ASSERT_EQ(queue->earliest(), Instant{std::get<0>(model.begin()->first)});
            }
        }
    }
}

} // namespace
