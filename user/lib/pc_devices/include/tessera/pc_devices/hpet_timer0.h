// HPET timer 0 as a one-shot on the legacy IRQ 0 line, driven directly through its mapped
// registers: what the interrupt suite and the irq_latency benchmark measure with. A one-shot fires
// when the main counter reaches the comparator, so the comparator is the exact time the line rose.
#pragma once

#include <stdint.h>

#include <tessera/pc_devices/hpet_registers.h>

namespace tessera::pc_devices::hpet {

class Timer0 {
public:
    // `registers`: where the HPET's register frame is mapped, uncached.
    explicit Timer0(uintptr_t registers) : hpet_(reinterpret_cast<volatile uint64_t*>(registers)) {}

    uint64_t period_fs() const { return reg(Capabilities) >> PeriodShift; }
    uint64_t counter() const { return reg(MainCounter); }

    // Timer 0 edge-triggered, one-shot, interrupt off; the main counter running, legacy routing on.
    void start()
    {
        reg(Timer0Configuration) = reg(Timer0Configuration) & ~(LevelTriggered | InterruptEnable | Periodic);
        reg(Configuration) = reg(Configuration) | Enable | LegacyRouting;
    }
    // Timer 0 off and the legacy routing given back to the PIT.
    void stop()
    {
        disarm();
        reg(Configuration) = reg(Configuration) & ~(Enable | LegacyRouting);
    }

    // Makes timer 0 fire `ahead` counter ticks from now; returns the comparator. A host that
    // stalls between the counter read and the comparator write could leave the comparator behind
    // the counter, which never fires: then it tries again.
    uint64_t arm(uint64_t ahead)
    {
        uint64_t comparator = 0;
        for (int tries = 0; tries < 5; tries++) {
            comparator = reg(MainCounter) + ahead;
            reg(Timer0Comparator) = comparator;
            if (reg(MainCounter) < comparator)
                break;
        }
        enable_interrupt();
        return comparator;
    }
    // Makes timer 0 fire when the counter reaches `comparator`, which must lie ahead.
    void arm_at(uint64_t comparator)
    {
        reg(Timer0Comparator) = comparator;
        enable_interrupt();
    }
    void disarm() { reg(Timer0Configuration) = reg(Timer0Configuration) & ~InterruptEnable; }

private:
    // Only once the comparator is written: a timer enabled with its comparator behind fires at once.
    void enable_interrupt() { reg(Timer0Configuration) = reg(Timer0Configuration) | InterruptEnable; }
    volatile uint64_t& reg(uint32_t offset) const { return hpet_[word(offset)]; }

    volatile uint64_t* hpet_;
};

} // namespace tessera::pc_devices::hpet
