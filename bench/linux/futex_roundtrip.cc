// Futex ping-pong between two threads of one process: Linux's cheapest blocking hand-off, and the
// nearest Linux counterpart of an IPC round trip within one address space.
#include "benchmark.h"
#include "tsc.h"

#include <atomic>
#include <climits>
#include <cstdint>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace tessera::bench::baseline {
namespace {

// One word carries the whole protocol: round k starts when the main thread stores 2k+1 and ends
// when the partner stores 2k+2, so neither side can miss a wake-up or see a stale round.
class Turn {
public:
    // Blocks until the word holds `target`. FUTEX_WAIT sleeps only while the word still holds the
    // value just read, so a store-and-wake that lands in between is never lost.
    void wait_for(uint32_t target)
    {
        for (;;) {
            const uint32_t seen = word().load(std::memory_order_acquire);
            if (seen == target)
                return;
            syscall(SYS_futex, &word_, FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
        }
    }

    void pass_to(uint32_t value)
    {
        word().store(value, std::memory_order_release);
        syscall(SYS_futex, &word_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
    }

private:
    std::atomic_ref<uint32_t> word() { return std::atomic_ref<uint32_t>(word_); }

    alignas(std::atomic_ref<uint32_t>::required_alignment) uint32_t word_ = 0;
};

uint32_t opening_value(size_t round)
{
    return static_cast<uint32_t>(2 * round + 1);
}
uint32_t closing_value(size_t round)
{
    return static_cast<uint32_t>(2 * round + 2);
}

} // namespace

Result<Samples> run_futex_roundtrip(const RunPlan& plan)
{
    // 32-bit round values: more rounds than this would wrap and confuse the protocol.
    if (plan.total() >= UINT32_MAX / 2)
        return SystemError{"futex round trip: too many iterations for a 32-bit futex word", 0};

    Turn turn;
    // The partner inherits this thread's CPU affinity, so both share the one pinned CPU.
    std::thread partner([&turn, rounds = plan.total()] {
        for (size_t round = 0; round < rounds; ++round) {
            turn.wait_for(opening_value(round));
            turn.pass_to(closing_value(round));
        }
    });

    Samples samples;
    samples.reserve(plan.measured);
    for (size_t round = 0; round < plan.total(); ++round) {
        const TscReading begin = tsc_begin();
        turn.pass_to(opening_value(round));
        turn.wait_for(closing_value(round));
        const TscReading end = tsc_end();
        if (plan.is_measured(round))
            samples.push_back(ticks_between(begin, end));
    }
    partner.join();
    return samples;
}

} // namespace tessera::bench::baseline
