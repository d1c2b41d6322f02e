// Interrupt latency: from a device raising its interrupt line to the user-level handler running.
//
// The device is HPET timer 0 as a one-shot in legacy replacement mode (IOAPIC pin 2), reached
// through user/lib/pc_devices like the interrupt suite: its device frame mapped uncached,
// an IRQ handler from IRQControl_GetIOAPIC bound to a notification, the handler waiting on it. A
// one-shot fires exactly when the main counter reaches the comparator, so the comparator is the
// time the line rose; the handler reads the TSC when seL4_Wait returns. The counter and the TSC
// are different clocks, so each iteration first finds a counter edge (the TSC read just after the
// counter moved) and then arms the comparator a fixed number of counter ticks after that edge; the
// line rises that many ticks, converted into TSC ticks by a calibration against the counter, after
// the edge's TSC value.
//
// While the handler waits, a thread of lower priority spins in user mode, so the interrupt
// arrives in a running program (the kernel's interrupt entry from user mode, the signal, the
// switch to the handler and the return to it) and the figure does not include waking an idle
// CPU. The spinner shares the handler's address space: no page-table switch is included.
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/pc_devices/device_frame.h>
#include <tessera/pc_devices/hpet_registers.h>
#include <tessera/pc_devices/hpet_timer0.h>
#include <tessera/runtime.h>

#include "bench_thread.h"
#include "benchmarks.h"
#include "kernel_objects.h"
#include "suite.h"

namespace tessera::bench {
namespace {

namespace hpet = pc_devices::hpet;

const char* const Name = "irq_latency";
constexpr seL4_Word IrqVector = 0;       // any of seL4's user vectors: nothing else is wired
constexpr seL4_Word HandlerBadge = 0x1;  // what the interrupt's signal must carry
// Where the HPET registers are mapped: a page table of their own, above the IPC buffers.
constexpr seL4_Word HpetMapping = BenchmarkMappingBase + (4ul << 20);
// How far ahead each one-shot is armed, in femtoseconds: 20 us, ample for the handler to block
// and the spinner to run even under kvm, where every HPET access exits to the hypervisor.
constexpr seL4_Uint64 ArmAheadFs = 20'000'000'000ull;
// The calibration span, in femtoseconds: 1 ms of counter ticks against the TSC.
constexpr seL4_Uint64 CalibrationFs = 1'000'000'000'000ull;
// TSC ticks per counter tick are kept in fixed point with this many fraction bits.
constexpr unsigned RatioFractionBits = 16;

struct Edge {
    seL4_Uint64 counter; // the counter's new value
    seL4_Uint64 tsc;     // the TSC read just after the counter was seen to move
};

// Spins until the counter moves. Under icount both clocks follow the instruction count, so the
// edge is found within one turn of this loop (a few instructions).
Edge next_edge(const hpet::Timer0& timer)
{
    const seL4_Uint64 before = timer.counter();
    for (;;) {
        const seL4_Uint64 now = timer.counter();
        const Timestamp tsc = start_timestamp();
        if (now != before)
            return {now, static_cast<seL4_Uint64>(tsc)};
    }
}

// TSC ticks per counter tick, in fixed point, measured over `span` counter ticks.
seL4_Uint64 tsc_per_counter_tick(const hpet::Timer0& timer, seL4_Uint64 span)
{
    const Edge first = next_edge(timer);
    while (timer.counter() < first.counter + span) {
    }
    const Edge last = next_edge(timer);
    return ((last.tsc - first.tsc) << RatioFractionBits) / (last.counter - first.counter);
}

[[noreturn]] void spin(seL4_Word)
{
    for (;;)
        asm volatile("pause");
}

struct IrqSetup {
    seL4_CPtr handler;
    seL4_CPtr notification;
};

// The rights a user-level driver of the HPET gets: its register frame mapped uncached, its IRQ
// handler, a badged notification the handler signals. Returns the first kernel error.
seL4_Error set_up(KernelObjects& objects, const seL4_BootInfo& boot_info, IrqSetup& setup)
{
    const seL4_CPtr frame =
        pc_devices::device_frame_at(&boot_info, [&objects] { return objects.take_slot(); }, hpet::Address);
    if (frame == 0)
        return seL4_FailedLookup;
    seL4_Error error = objects.map_frame(frame, seL4_CapInitThreadVSpace, HpetMapping, seL4_ReadWrite,
                                         seL4_X86_CacheDisabled);
    const Made notification = objects.make(seL4_NotificationObject);
    if (error == seL4_NoError)
        error = notification.error;
    const Made badged = notification.ok() ? objects.mint(notification.cap, HandlerBadge) : notification;
    if (error == seL4_NoError)
        error = badged.error;
    setup = {objects.take_slot(), notification.cap};
    if (error == seL4_NoError)
        error = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, setup.handler,
                                          seL4_WordBits, 0, hpet::LegacyPin, 0, 0, IrqVector);
    if (error == seL4_NoError)
        error = seL4_IRQHandler_SetNotification(setup.handler, badged.cap);
    return error;
}

} // namespace

void run_irq_benchmarks(Suite& suite, KernelObjects& objects)
{
    IrqSetup setup{};
    seL4_Error error = set_up(objects, *tessera_boot_info(), setup);
    if (error != seL4_NoError)
        return suite.refused(Name, "the HPET's frame and IRQ handler", error);
    BenchThread& spinner = BenchThread::slot(0);
    error = spinner.start(objects, {seL4_CapInitThreadVSpace, seL4_MaxPrio - 1, seL4_CapNull, spin, 0});
    if (error != seL4_NoError) {
        spinner.destroy();
        return suite.refused(Name, "threads (TCB invocations)", error);
    }

    hpet::Timer0 timer{HpetMapping};
    const seL4_Uint64 period_fs = timer.period_fs();
    timer.start();
    // A PIT tick signalled before the HPET took the line over must not count as the first sample.
    seL4_Word stale = 0;
    seL4_Poll(setup.notification, &stale);
    seL4_IRQHandler_Ack(setup.handler);
    const seL4_Uint64 ratio = tsc_per_counter_tick(timer, CalibrationFs / period_fs);
    const seL4_Uint64 ahead = ArmAheadFs / period_fs;
    const seL4_Uint64 ahead_tsc = (ahead * ratio) >> RatioFractionBits;
    printf("bench.%s: HPET period %lu fs, %lu.%03lu TSC ticks per HPET tick, armed %lu ticks ahead\n", Name,
           static_cast<unsigned long>(period_fs), static_cast<unsigned long>(ratio >> RatioFractionBits),
           static_cast<unsigned long>(((ratio & ((1u << RatioFractionBits) - 1)) * 1000) >> RatioFractionBits),
           static_cast<unsigned long>(ahead));

    suite.measure(Name, [&] {
        const Edge edge = next_edge(timer);
        timer.arm_at(edge.counter + ahead);
        seL4_Word badge = 0;
        seL4_Wait(setup.notification, &badge);
        const seL4_Uint64 handled = static_cast<seL4_Uint64>(end_timestamp());
        timer.disarm();
        seL4_IRQHandler_Ack(setup.handler);
        const seL4_Uint64 raised = edge.tsc + ahead_tsc;
        if (badge != HandlerBadge || handled < raised) {
            printf("bench.%s: badge 0x%lx, handler at TSC %lu, line raised at %lu\n", Name,
                   static_cast<unsigned long>(badge), static_cast<unsigned long>(handled),
                   static_cast<unsigned long>(raised));
            return Sample{false, Ticks{0}};
        }
        return Sample{true, Ticks{handled - raised}};
    });
    timer.stop();
    spinner.destroy();
    (void)seL4_IRQHandler_Clear(setup.handler);
}

} // namespace tessera::bench
