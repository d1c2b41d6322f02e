// The timer benchmark's client (bench/drivers/timer_bench.system): the timer service's round trip,
// a call setting a timeout until the client's notified() runs for it:
//   timer_roundtrip_immediate  0 ns to wait: the call, the service's calls to the HPET driver, the
//                              notification and the way back through the PD's event loop;
//   timer_roundtrip_20us       20 us to wait (under -icount, 20,000 of the ticks are the wait,
//                              spent by the idle PD), so the HPET's interrupt is in the path.
// Each notification ends one sample and starts the next, so this is a small state machine. When
// done, the client sets the flag the idle PD spins on, and the system goes idle. It prints on the
// kernel's console, which nothing else in the system uses.
#include <microkit.h>
#include <tessera/timer_client.h>

#include "bench/system/timestamp.h"
#include "bench_report.h"
#include "bench_size.h"

// Patched by the description: the page shared with the idle PD.
extern "C" {
__attribute__((section(".data"))) uintptr_t done_flag;
}

namespace {

using namespace tessera::bench;
using tessera::bench::drivers::sizes;

constexpr microkit_channel Timer = 0;
constexpr uint64_t TwentyMicroseconds = 20000;

enum class Phase { Immediate, TwentyMicroseconds, Finished };

drivers::Report report;
Ticks samples[drivers::MaxSamples];
Phase phase = Phase::Immediate;
uint32_t round_in_phase;
Timestamp started;

uint64_t timeout_of(Phase p)
{
    return p == Phase::Immediate ? 0 : TwentyMicroseconds;
}

uint32_t samples_of(Phase p)
{
    return p == Phase::Immediate ? sizes.timer_immediate : sizes.timer_20us;
}

const char* name_of(Phase p)
{
    return p == Phase::Immediate ? "timer_roundtrip_immediate" : "timer_roundtrip_20us";
}

void finish()
{
    phase = Phase::Finished;
    report.finish();
    __atomic_store_n(reinterpret_cast<volatile uint32_t*>(done_flag), 1u, __ATOMIC_RELEASE);
}

void start_sample()
{
    started = start_timestamp();
    const tessera_timer_status status = tessera_timer_set_timeout(Timer, 0, timeout_of(phase));
    if (status != TESSERA_TIMER_OK) {
        report.failure(name_of(phase), "the timer service refused the call");
        finish();
    }
}

void timer_notified()
{
    const Timestamp end = end_timestamp();
    (void)tessera_timer_expired(Timer); // untimed: collects the slot
    if (phase == Phase::Finished)
        return;
    if (round_in_phase >= sizes.warmup)
        samples[round_in_phase - sizes.warmup] = ticks_between(started, end);
    if (++round_in_phase == sizes.warmup + samples_of(phase)) {
        report.result(name_of(phase), samples, samples_of(phase));
        round_in_phase = 0;
        if (phase == Phase::TwentyMicroseconds) {
            finish();
            return;
        }
        phase = Phase::TwentyMicroseconds;
    }
    start_sample();
}

} // namespace

extern "C" void init(void)
{
    start_sample();
}

extern "C" void notified(microkit_channel channel)
{
    if (channel == Timer)
        timer_notified();
}
