// The timer protocol's logic (user/services/timer/service) on a fake one-shot clock: time, relative
// and absolute timeouts in many slots of many clients, notifications once per client, the
// expired set, cancellation, the clock kept armed for the earliest deadline, deadlines already
// past, sDDF's one-register form, and every kind of bad call answered for that client alone.
// Also the HPET's tick conversion and its registers, on a plain memory block.

#include <gtest/gtest.h>
#include <hpet.h>
#include <timer_service.h>

#include <memory>
#include <vector>

using namespace tessera::timer;

namespace {

class FakeClock final : public OneShotClock {
public:
    Instant now() override { return Instant{time}; }
    bool arm(Instant deadline) override
    {
        arms.push_back(deadline.nanoseconds());
        armed = true;
        armed_for = deadline.nanoseconds();
        // A clock that takes time to arm: the deadline may pass meanwhile.
        time += arm_takes;
        return deadline.nanoseconds() > time;
    }
    void disarm() override
    {
        armed = false;
        ++disarms;
    }
    // Moves time on; true when an armed deadline is reached: the one event the service then
    // gets, after which the clock is no longer armed.
    bool advance_to(uint64_t when)
    {
        time = when;
        const bool fires = armed && armed_for <= time;
        armed = armed && !fires;
        return fires;
    }

    uint64_t time = 1000;
    uint64_t arm_takes = 0;
    bool armed = false;
    uint64_t armed_for = 0;
    int disarms = 0;
    std::vector<uint64_t> arms;
};

class TimerServiceFixture : public ::testing::Test {
protected:
    Reply call(uint32_t channel, uint64_t label, std::vector<uint64_t> registers)
    {
        Request request{label, static_cast<uint32_t>(registers.size()), {0, 0}};
        for (size_t i = 0; i < registers.size() && i < 2; ++i)
            request.registers[i] = registers[i];
        return service_->handle(channel, request);
    }
    tessera_timer_status set_timeout(uint32_t channel, uint64_t slot, uint64_t ns)
    {
        return call(channel, TESSERA_TIMER_SET_TIMEOUT, {ns, slot}).status;
    }
    tessera_timer_status set_deadline(uint32_t channel, uint64_t slot, uint64_t at)
    {
        return call(channel, TESSERA_TIMER_SET_DEADLINE, {at, slot}).status;
    }
    uint64_t expired(uint32_t channel) { return call(channel, TESSERA_TIMER_EXPIRED, {}).value; }
    // Time moves on to `when`; if the clock's event fires, the service handles it.
    void run_to(uint64_t when)
    {
        if (clock_.advance_to(when))
            service_->handle_clock_event();
    }

    FakeClock clock_;
    std::unique_ptr<TimerService> service_ = std::make_unique<TimerService>(clock_, TESSERA_TIMER_SLOTS);
};

TEST_F(TimerServiceFixture, GetTimeAnswersTheClocksNanoseconds)
{
    const Reply reply = call(3, TESSERA_TIMER_GET_TIME, {});
    EXPECT_EQ(reply.status, TESSERA_TIMER_OK);
    EXPECT_EQ(reply.length, 1u);
    EXPECT_EQ(reply.value, 1000u);
}

TEST_F(TimerServiceFixture, RelativeAndAbsoluteTimeoutsFireInOrderWithOneNotificationPerClient)
{
    EXPECT_EQ(set_timeout(1, 0, 500), TESSERA_TIMER_OK);      // at 1500
    EXPECT_EQ(set_deadline(1, 7, 1200), TESSERA_TIMER_OK);    // at 1200
    EXPECT_EQ(set_timeout(2, 3, 300), TESSERA_TIMER_OK);      // at 1300
    EXPECT_EQ(clock_.armed_for, 1200u);
    EXPECT_EQ(service_->take_notifications(), 0u);
    run_to(1250);
    EXPECT_EQ(service_->take_notifications(), uint64_t{1} << 1);
    EXPECT_EQ(expired(1), uint64_t{1} << 7);
    EXPECT_EQ(expired(1), 0u); // collected
    EXPECT_EQ(clock_.armed_for, 1300u);
    run_to(1600); // both the rest at once
    EXPECT_EQ(service_->take_notifications(), (uint64_t{1} << 1) | (uint64_t{1} << 2));
    EXPECT_EQ(expired(1), 1u);
    EXPECT_EQ(expired(2), uint64_t{1} << 3);
    EXPECT_EQ(service_->pending(), 0u);
    EXPECT_FALSE(clock_.armed);
}

TEST_F(TimerServiceFixture, CancelledTimeoutsNeverFireAndTheClockFollowsTheEarliest)
{
    ASSERT_EQ(set_timeout(4, 1, 100), TESSERA_TIMER_OK);
    ASSERT_EQ(set_timeout(4, 2, 200), TESSERA_TIMER_OK);
    const Reply cancelled = call(4, TESSERA_TIMER_CANCEL, {1});
    EXPECT_EQ(cancelled.status, TESSERA_TIMER_OK);
    EXPECT_EQ(cancelled.value, 1u);
    EXPECT_EQ(clock_.armed_for, 1200u); // moved on to the next
    EXPECT_EQ(call(4, TESSERA_TIMER_CANCEL, {1}).value, 0u);
    EXPECT_EQ(call(9, TESSERA_TIMER_CANCEL, {1}).value, 0u); // a channel that never set one
    run_to(1300);
    EXPECT_EQ(expired(4), uint64_t{1} << 2);
}

TEST_F(TimerServiceFixture, ResettingASlotForgetsThatItFiredBefore)
{
    ASSERT_EQ(set_timeout(1, 5, 10), TESSERA_TIMER_OK);
    run_to(1100);
    ASSERT_EQ(service_->take_notifications(), 2u);
    ASSERT_EQ(set_timeout(1, 5, 1000), TESSERA_TIMER_OK); // set again before collecting
    EXPECT_EQ(expired(1), 0u);
}

TEST_F(TimerServiceFixture, ADeadlineAlreadyPastExpiresDuringTheCall)
{
    EXPECT_EQ(set_deadline(6, 0, 10), TESSERA_TIMER_OK);
    EXPECT_EQ(service_->take_notifications(), uint64_t{1} << 6);
    EXPECT_EQ(expired(6), 1u);
    EXPECT_EQ(set_timeout(6, 1, 0), TESSERA_TIMER_OK); // zero from now: at once
    EXPECT_EQ(service_->take_notifications(), uint64_t{1} << 6);
}

TEST_F(TimerServiceFixture, ADeadlineThatPassesWhileArmingIsHandledWithoutTheClock)
{
    clock_.arm_takes = 50;
    ASSERT_EQ(set_timeout(2, 0, 20), TESSERA_TIMER_OK); // due at 1020; arming ends at 1050
    EXPECT_EQ(service_->take_notifications(), uint64_t{1} << 2);
    EXPECT_EQ(expired(2), 1u);
}

TEST_F(TimerServiceFixture, TheSddfFormSetsSlotZero)
{
    EXPECT_EQ(call(1, TESSERA_TIMER_SET_TIMEOUT, {100}).status, TESSERA_TIMER_OK);
    run_to(1100);
    EXPECT_EQ(expired(1), 1u);
}

TEST_F(TimerServiceFixture, BadCallsAreRefusedAndChangeNothing)
{
    ASSERT_EQ(set_timeout(1, 0, 100), TESSERA_TIMER_OK);
    const size_t arms = clock_.arms.size();
    EXPECT_EQ(set_timeout(2, 64, 10), TESSERA_TIMER_BAD_SLOT);
    EXPECT_EQ(set_deadline(2, 1000, 10), TESSERA_TIMER_BAD_SLOT);
    EXPECT_EQ(call(2, TESSERA_TIMER_CANCEL, {64}).status, TESSERA_TIMER_BAD_SLOT);
    EXPECT_EQ(set_timeout(2, 0, ~0ull), TESSERA_TIMER_TOO_FAR);
    EXPECT_EQ(set_timeout(2, 0, TESSERA_TIMER_MAX_TIMEOUT_NS + 1), TESSERA_TIMER_TOO_FAR);
    EXPECT_EQ(set_deadline(2, 0, ~0ull), TESSERA_TIMER_TOO_FAR);
    EXPECT_EQ(call(2, TESSERA_TIMER_SET_TIMEOUT, {}).status, TESSERA_TIMER_BAD_REQUEST);
    EXPECT_EQ(call(2, TESSERA_TIMER_SET_DEADLINE, {5}).status, TESSERA_TIMER_BAD_REQUEST);
    EXPECT_EQ(call(2, TESSERA_TIMER_CANCEL, {}).status, TESSERA_TIMER_BAD_REQUEST);
    EXPECT_EQ(call(2, 99, {1, 2}).status, TESSERA_TIMER_BAD_REQUEST);
    EXPECT_EQ(call(63, TESSERA_TIMER_GET_TIME, {}).status, TESSERA_TIMER_BAD_REQUEST);
    EXPECT_EQ(service_->pending(), 1u);
    EXPECT_EQ(clock_.arms.size(), arms);
    EXPECT_EQ(service_->client_count(), 1u); // refused calls made no client
    // The longest timeout allowed is accepted.
    EXPECT_EQ(set_timeout(2, 0, TESSERA_TIMER_MAX_TIMEOUT_NS), TESSERA_TIMER_OK);
}

TEST_F(TimerServiceFixture, EveryClientHasAllItsSlots)
{
    for (uint32_t slot = 0; slot < TESSERA_TIMER_SLOTS; ++slot)
        ASSERT_EQ(set_timeout(5, slot, 100 + slot), TESSERA_TIMER_OK);
    ASSERT_EQ(set_timeout(6, 0, 50), TESSERA_TIMER_OK);
    run_to(1050);
    EXPECT_EQ(expired(6), 1u);
    EXPECT_EQ(expired(5), 0u);
    run_to(10000);
    EXPECT_EQ(expired(5), ~0ull);
}

TEST_F(TimerServiceFixture, ClientsBeyondTheServicesRoomAreRefusedOthersGoOn)
{
    for (uint32_t channel = 1; channel <= TimeoutQueue::MaxClients; ++channel)
        ASSERT_EQ(set_timeout(channel, 0, 100), TESSERA_TIMER_OK);
    EXPECT_EQ(set_timeout(40, 0, 100), TESSERA_TIMER_TOO_MANY_CLIENTS);
    EXPECT_EQ(call(40, TESSERA_TIMER_GET_TIME, {}).status, TESSERA_TIMER_OK); // time is free
    run_to(1100);
    EXPECT_EQ(__builtin_popcountll(service_->take_notifications()), 32);
}

TEST(TimerDriverService, OneSlotPerClientAsTheDriverServes)
{
    FakeClock clock;
    TimerService driver(clock, 1);
    Request request{TESSERA_TIMER_SET_TIMEOUT, 2, {100, 1}};
    EXPECT_EQ(driver.handle(1, request).status, TESSERA_TIMER_BAD_SLOT);
    request.registers[1] = 0;
    EXPECT_EQ(driver.handle(1, request).status, TESSERA_TIMER_OK);
}

TEST(HpetClockConversion, TenNanosecondTicksAreExact)
{
    ClockConversion conversion;
    ASSERT_TRUE(conversion.init(10'000'000)); // QEMU's HPET: 100 MHz
    EXPECT_EQ(conversion.to_nanoseconds(123456789), 1234567890u);
    EXPECT_EQ(conversion.to_ticks(1234567890), 123456789u);
    EXPECT_EQ(conversion.to_ticks(1234567891), 123456790u); // rounded up: never early
    EXPECT_EQ(conversion.to_ticks(0), 0u);
}

TEST(HpetClockConversion, OddPeriodsRoundTripWithinOneTick)
{
    ClockConversion conversion;
    ASSERT_TRUE(conversion.init(69'841'279)); // a 14.318 MHz HPET
    for (uint64_t ticks : {0ull, 1ull, 14318180ull, 1ull << 40, 1ull << 50}) {
        const uint64_t nanoseconds = conversion.to_nanoseconds(ticks);
        const uint64_t back = conversion.to_ticks(nanoseconds);
        EXPECT_LE(back, ticks) << ticks;
        EXPECT_LE(ticks - back, 1u) << ticks;
        EXPECT_GE(conversion.to_nanoseconds(conversion.to_ticks(nanoseconds)) + 70, nanoseconds);
    }
    // Exact to the nanosecond against 128-bit arithmetic, up to 2^50 ticks (2.5 years).
    for (uint64_t ticks : {999999ull, 1000001ull, 123456789012ull, 1ull << 50}) {
        const auto exact = static_cast<uint64_t>(static_cast<unsigned __int128>(ticks) * 69841279 / 1000000);
        EXPECT_EQ(conversion.to_nanoseconds(ticks), exact) << ticks;
    }
}

TEST(HpetClockConversion, RefusesPeriodsNoHpetHas)
{
    ClockConversion conversion;
    EXPECT_FALSE(conversion.init(0));
    EXPECT_FALSE(conversion.init(100'000'001));
    EXPECT_TRUE(conversion.init(100'000'000));
}

// The HPET's registers as plain memory: what init and arm write, what a missing HPET looks like.
TEST(Hpet, InitStartsTheCounterInLegacyRoutingAndArmWritesTheComparator)
{
    alignas(64) uint64_t registers[0x200 / 8] = {};
    registers[0] = (10'000'000ull << 32) | (1u << 15) | (1u << 13); // 10 ns, legacy, 64-bit
    registers[0x100 / 8] = 0x0e; // level, interrupt on, periodic: all to be cleared
    Hpet hpet;
    ASSERT_EQ(hpet.init(registers), HpetInitError::None);
    EXPECT_EQ(registers[0x10 / 8] & 3u, 3u);
    EXPECT_EQ(registers[0x100 / 8] & 0x0e, 0u);
    registers[0xf0 / 8] = 500; // the counter
    EXPECT_EQ(hpet.now(), Instant{5000});
    EXPECT_TRUE(hpet.arm(Instant{7001}));
    EXPECT_EQ(registers[0x108 / 8], 701u);
    EXPECT_EQ(registers[0x100 / 8] & 0x04, 0x04u);
    EXPECT_FALSE(hpet.arm(Instant{4000})); // already passed
    hpet.disarm();
    EXPECT_EQ(registers[0x100 / 8] & 0x04, 0u);
}

TEST(Hpet, RefusesWhatIsNotAUsableHpet)
{
    alignas(64) uint64_t registers[0x200 / 8] = {};
    Hpet hpet;
    EXPECT_EQ(hpet.init(registers), HpetInitError::NoHpet);
    registers[0] = (10'000'000ull << 32) | (1u << 15);
    EXPECT_EQ(hpet.init(registers), HpetInitError::NarrowCounter);
    registers[0] = (10'000'000ull << 32) | (1u << 13);
    EXPECT_EQ(hpet.init(registers), HpetInitError::NoLegacyRouting);
    EXPECT_STRNE(describe(HpetInitError::NoLegacyRouting), "unknown error");
}

} // namespace
