// The PC's HPET reached from user mode, shared by the interrupt suite and the irq_latency
// benchmark: the device frame that holds a physical address, and HPET timer 0 as a one-shot in
// legacy replacement mode, where it takes over ISA IRQ 0 (IOAPIC pin 2 on QEMU's PC).
#pragma once

#include <sel4/sel4.h>

namespace hpet {

constexpr seL4_Word Address = 0xfed00000; // the PC's HPET registers
constexpr seL4_Word LegacyPin = 2;        // ISA IRQ 0 arrives on IOAPIC pin 2 (QEMU's MADT override)

// The device untyped that holds `paddr`, split in halves until a 4 KiB untyped starts there, then
// retyped into a frame in the root CNode. `take_slot()` hands out empty root CNode slots. Returns 0
// when no device untyped holds `paddr` or a retype fails.
template <class TakeSlot>
seL4_CPtr device_frame_at(const seL4_BootInfo* bi, TakeSlot&& take_slot, seL4_Word paddr)
{
    seL4_CPtr ut = 0;
    seL4_Word base = 0, bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc& d = bi->untypedList[i];
        if (d.isDevice && d.paddr <= paddr && paddr - d.paddr < (seL4_Word{1} << d.sizeBits)) {
            ut = bi->untyped.start + i;
            base = d.paddr;
            bits = d.sizeBits;
        }
    }
    while (ut != 0 && bits > seL4_PageBits) {
        const seL4_CPtr halves = take_slot();
        take_slot();
        if (seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, seL4_CapInitThreadCNode, 0, 0,
                                halves, 2) != seL4_NoError)
            return 0;
        bits--;
        const bool upper = paddr >= base + (seL4_Word{1} << bits);
        ut = halves + (upper ? 1 : 0);
        base += upper ? seL4_Word{1} << bits : 0;
    }
    const seL4_CPtr frame = take_slot();
    if (ut == 0 || base != paddr ||
        seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1) !=
            seL4_NoError)
        return 0;
    return frame;
}

// HPET timer 0 as a one-shot on the legacy IRQ 0 line (IA-PC HPET specification 1.0a, 2.3),
// through the register frame mapped at `registers`. A one-shot fires when the main counter
// reaches the comparator, so the comparator is the exact time the line rose.
class Timer0 {
public:
    explicit Timer0(seL4_Word registers) : hpet_(reinterpret_cast<volatile seL4_Uint64*>(registers)) {}

    // The main counter's period in femtoseconds (the capabilities register's upper half).
    seL4_Uint64 period_fs() const { return hpet_[Capabilities] >> 32; }
    seL4_Uint64 counter() const { return hpet_[Counter]; }

    // Timer 0 edge-triggered, one-shot, interrupt off; the main counter running, legacy routing on.
    void start()
    {
        hpet_[Timer0Config] = hpet_[Timer0Config] & ~seL4_Uint64{0xe};
        hpet_[Config] = hpet_[Config] | Enable | LegacyRoute;
    }
    // Timer 0 off and the legacy routing given back to the PIT.
    void stop()
    {
        disarm();
        hpet_[Config] = hpet_[Config] & ~(Enable | LegacyRoute);
    }

    // Makes timer 0 fire `ahead` counter ticks from now; returns the comparator. A host that
    // stalls between the counter read and the comparator write could leave the comparator behind
    // the counter, which never fires: then it tries again.
    seL4_Uint64 arm(seL4_Uint64 ahead)
    {
        seL4_Uint64 comparator = 0;
        for (int tries = 0; tries < 5; tries++) {
            comparator = hpet_[Counter] + ahead;
            hpet_[Timer0Comparator] = comparator;
            if (hpet_[Counter] < comparator)
                break;
        }
        enable_interrupt();
        return comparator;
    }
    // Makes timer 0 fire when the counter reaches `comparator`, which must lie ahead.
    void arm_at(seL4_Uint64 comparator)
    {
        hpet_[Timer0Comparator] = comparator;
        enable_interrupt();
    }
    void disarm() { hpet_[Timer0Config] = hpet_[Timer0Config] & ~TimerInterruptEnable; }

private:
    // Only once the comparator is written: a timer enabled with its comparator behind fires at once.
    void enable_interrupt() { hpet_[Timer0Config] = hpet_[Timer0Config] | TimerInterruptEnable; }

    static constexpr seL4_Word Capabilities = 0, Config = 0x10 / 8, Counter = 0xf0 / 8,
                               Timer0Config = 0x100 / 8, Timer0Comparator = 0x108 / 8;
    static constexpr seL4_Uint64 Enable = 1, LegacyRoute = 2, TimerInterruptEnable = 4;

    volatile seL4_Uint64* hpet_;
};

} // namespace hpet
