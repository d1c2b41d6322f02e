// Devices driven from user mode with interrupts (issue 6's proof): this root task holds only an
// I/O port capability and an IRQ handler per device. COM2 (looped back by the launcher) sends and
// receives bytes, each received byte announced by its interrupt as a signal; the PIT's channel 0
// interrupts periodically and its counter is read through the ports.
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/runtime.h>

#include "../libos/check.h"
#include "suite_support.h"
#include "uart.h"

using libos_suite::check;
using libos_suite::check_error;
using namespace device_suite;

namespace {

constexpr seL4_Word Com2Vector = 3, PitVector = 0;
constexpr seL4_Word Com2Badge = 0x4, PitBadge = 0x10;

struct Device {
    seL4_CPtr ports;
    seL4_CPtr handler;
    seL4_CPtr notification; // badged with the device's bit
};

// The rights one driver gets: its ports, its IRQ, a badged notification for that IRQ.
bool give_rights(Slots& slots, seL4_CPtr ntfn, seL4_Word first, seL4_Word last, seL4_Word pin,
                 seL4_Word vector, seL4_Word badge, Device& d)
{
    d = {slots.take(), slots.take(), slots.take()};
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, first, last, Root, d.ports, Depth) ==
               seL4_NoError &&
           seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, Root, d.handler, Depth, 0, pin, 0, 0,
                                     vector) == seL4_NoError &&
           seL4_CNode_Mint(Root, d.notification, Depth, Root, ntfn, Depth, seL4_AllRights, badge) ==
               seL4_NoError &&
           seL4_IRQHandler_SetNotification(d.handler, d.notification) == seL4_NoError;
}

seL4_Word wait(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    return badge;
}

// What an interrupt-driven UART driver does for each byte it expects: wait for a signal, take
// what the UART holds, acknowledge, and look once more. The IOAPIC ignores an edge while its pin
// is masked (82093AA), so a byte that arrived between the signal and the Ack raises no new
// interrupt; and a signal may find nothing new (the 16550 raises its line again for a character
// timeout). Every byte still costs at least one signal.
int receive_by_interrupt(Uart& uart, const Device& com2, seL4_CPtr ntfn, int max_signals)
{
    const auto take = [&] {
        return (uart.read(Uart::LineStatus) & Uart::DataReady) ? uart.read(Uart::Data) : -1;
    };
    for (int signals = 0; signals < max_signals; signals++) {
        const seL4_Word badge = wait(ntfn);
        if (badge != Com2Badge) {
            printf("uart_irq: signal with badge 0x%lx\n", badge);
            return -1;
        }
        int byte = take();
        seL4_IRQHandler_Ack(com2.handler);
        if (byte < 0)
            byte = take();
        if (byte >= 0)
            return byte;
    }
    return -1;
}

void uart_tests(const Device& com2, seL4_CPtr ntfn)
{
    Uart uart{com2.ports, Com2};
    check("uart_irq.init",
          uart.init() && uart.write(Uart::InterruptEnable, Uart::ReceiveInterrupt) == seL4_NoError);

    // Each byte sent comes back, and its arrival is announced by the interrupt.
    const char* message = "interrupts!";
    bool all = true;
    for (const char* c = message; *c && all; c++) {
        all = uart.send(*c);
        const int byte = receive_by_interrupt(uart, com2, ntfn, 4);
        if (byte != *c) {
            printf("uart_irq.echo: sent '%c', received %d\n", *c, byte);
            all = false;
        }
    }
    check("uart_irq.echo_by_interrupt", all);

    // Start clean: no signal pending, the pin unmasked, the UART empty.
    seL4_Word stale = 0;
    seL4_Poll(ntfn, &stale);
    seL4_IRQHandler_Ack(com2.handler);

    // Not acknowledged, the pin stays masked: a second byte arrives and nothing is signalled.
    // After Ack (and the driver emptying the UART) the next byte is signalled again.
    uart.send('A');
    const seL4_Word first = wait(ntfn);
    check("uart_irq.first_signal", first == Com2Badge && uart.poll_receive(2000000) == 'A');
    uart.send('B');
    const bool arrived = uart.poll_receive_status(2000000);
    seL4_Word pending = 0;
    seL4_Poll(ntfn, &pending);
    check("uart_irq.masked_until_ack", arrived && pending == 0 && uart.read(Uart::Data) == 'B');
    check_error("uart_irq.ack", seL4_IRQHandler_Ack(com2.handler), seL4_NoError);
    check_error("uart_irq.double_ack", seL4_IRQHandler_Ack(com2.handler), seL4_NoError);
    uart.send('C');
    check("uart_irq.signal_after_ack", receive_by_interrupt(uart, com2, ntfn, 4) == 'C');
    check_error("uart_irq.double_ack_again", seL4_IRQHandler_Ack(com2.handler), seL4_NoError);
    uart.write(Uart::InterruptEnable, 0);
}

// PIT channel 0 as a rate generator: 1.193182 MHz / count interrupts per second.
void pit_tests(const Device& pit, seL4_CPtr ntfn, seL4_Word mhz)
{
    constexpr seL4_Word Count = 11932; // 10 ms
    constexpr int Ticks = 5;
    const seL4_Word control = PitFirst + 3;
    bool programmed =
        seL4_X86_IOPort_Out8(pit.ports, control, 0x34) == seL4_NoError && // ch 0, lo/hi, mode 2
        seL4_X86_IOPort_Out8(pit.ports, PitFirst, Count & 0xff) == seL4_NoError &&
        seL4_X86_IOPort_Out8(pit.ports, PitFirst, Count >> 8) == seL4_NoError;
    check("pit.program_rate_generator", programmed);

    // The counter, latched and read low byte first, runs below the programmed count.
    seL4_X86_IOPort_Out8(pit.ports, control, 0x00);
    const seL4_Word low = seL4_X86_IOPort_In8(pit.ports, PitFirst).result;
    const seL4_Word high = seL4_X86_IOPort_In8(pit.ports, PitFirst).result;
    const seL4_Word counter = low | high << 8;
    if (counter > Count)
        printf("pit.counter_reads: %lu\n", counter);
    check("pit.counter_reads", counter <= Count);

    // A tick of the firmware's rate may have been signalled before the reprogramming: drop it.
    seL4_Word stale = 0;
    seL4_Poll(ntfn, &stale);
    seL4_IRQHandler_Ack(pit.handler);

    bool badges = true;
    seL4_Word first = 0, last = 0;
    for (int i = 0; i < Ticks; i++) {
        badges = badges && wait(ntfn) == PitBadge;
        (i == 0 ? first : last) = read_tsc();
        seL4_IRQHandler_Ack(pit.handler);
    }
    check("pit.interrupts_signalled", badges);
    // Four periods of 10 ms, printed only: the TSC's calibration and QEMU's PIT both follow the
    // host clock, which a loaded host makes unreliable (the HPET test below times exactly).
    printf("pit: %d interrupts, %lu us for %d periods of 10000 us\n", Ticks,
           mhz ? (last - first) / mhz : 0, Ticks - 1);

    // Latency: a one-shot (mode 0) count of C fires C / 1.193182 MHz after it is loaded; the time
    // from there to this thread running again is the line-to-handler latency. In TSC ticks, which
    // under -icount are instructions (launch.py --icount). First the rate generator stops (mode
    // 0 without a count holds the line low), a tick signalled meanwhile is dropped and the pin
    // unmasked, so the one-shot's edge is the next one.
    constexpr seL4_Word OneShot = 1193; // 1 ms
    seL4_X86_IOPort_Out8(pit.ports, control, 0x30);
    seL4_Poll(ntfn, &stale);
    seL4_IRQHandler_Ack(pit.handler);
    seL4_X86_IOPort_Out8(pit.ports, PitFirst, OneShot & 0xff);
    seL4_X86_IOPort_Out8(pit.ports, PitFirst, OneShot >> 8);
    const seL4_Word loaded = read_tsc();
    const seL4_Word due = loaded + OneShot * mhz * 1000000 / 1193182;
    const bool fired = wait(ntfn) == PitBadge;
    const seL4_Word handled = read_tsc();
    // The due point comes from the TSC's calibration, too rough under load to check against.
    check("pit.one_shot_signalled", fired);
    if (fired && handled > due)
        printf("pit: line-to-handler latency %lu TSC ticks (%lu ns)\n", handled - due,
               mhz ? (handled - due) * 1000 / mhz : 0);
    seL4_IRQHandler_Ack(pit.handler);
    seL4_X86_IOPort_Out8(pit.ports, control, 0x30); // mode 0 and no count: channel 0 stays quiet
}

// HPET timer 0 in legacy replacement mode takes over ISA IRQ 0 (IOAPIC pin 2, the PIT's line, so
// the PIT's handler serves). A one-shot fires when the main counter reaches the comparator; the
// handler reads the counter, so the difference is the time from the line to the user handler in
// HPET ticks, exact to one tick (under -icount shift=0,sleep=off a nanosecond is an instruction).
void hpet_tests(const seL4_BootInfo* bi, Slots& slots, const Device& pit, seL4_CPtr ntfn)
{
    const seL4_CPtr frame = device_frame_at(bi, slots, Hpet);
    constexpr seL4_Word Vaddr = 0x5ff000; // in the page table that maps the image
    check("hpet.map",
          frame != 0 && seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, Vaddr, seL4_ReadWrite,
                                          seL4_X86_Default_VMAttributes) == seL4_NoError);
    if (frame == 0)
        return;
    hpet::Timer0 timer{Vaddr};
    const seL4_Uint64 period_fs = timer.period_fs();
    timer.start();
    seL4_Word stale = 0;
    seL4_Poll(ntfn, &stale);
    seL4_IRQHandler_Ack(pit.handler);

    const seL4_Uint64 ahead = 10000000000000ull / period_fs; // 10 ms
    const seL4_Uint64 comparator = timer.arm(ahead);
    const seL4_Word badge = wait(ntfn);
    const seL4_Uint64 handled = timer.counter();
    seL4_IRQHandler_Ack(pit.handler);
    const seL4_Uint64 ticks = handled - comparator;
    if (badge != PitBadge)
        printf("hpet: signal with badge 0x%lx\n", badge);
    // Never before the comparator; within a second even on a loaded host.
    check("hpet.one_shot_signalled",
          badge == PitBadge && handled >= comparator && ticks < 100 * ahead);
    printf("hpet: line-to-handler latency %lu ticks of %lu fs = %lu ns\n", ticks, period_fs,
           ticks * period_fs / 1000000);
    timer.stop();
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    Slots slots{bi};
    const seL4_CPtr ntfn = slots.take();
    check_error(
        "setup.notification",
        seL4_Untyped_Retype(largest_untyped(bi), seL4_NotificationObject, 0, Root, 0, 0, ntfn, 1),
        seL4_NoError);
    // One device at a time: the firmware left the PIT ticking, and its interrupts must not land
    // in the UART's test.
    Device com2{}, pit{};
    check("setup.com2_rights",
          give_rights(slots, ntfn, Com2, Com2Last, Com2Pin, Com2Vector, Com2Badge, com2));
    uart_tests(com2, ntfn);
    check("setup.pit_rights",
          give_rights(slots, ntfn, PitFirst, PitLast, PitPin, PitVector, PitBadge, pit));
    pit_tests(pit, ntfn, tsc_mhz(bi));
    hpet_tests(bi, slots, pit, ntfn);
    seL4_DebugSnapshot();
    return libos_suite::summary();
}
