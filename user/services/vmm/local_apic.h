// The guest's local APIC (xAPIC, MMIO at 0xfee00000): interrupt acceptance with IRR/ISR/TMR and
// the priority rules, EOI (forwarded to the I/O APIC for level-triggered vectors), the timer in
// one-shot and periodic modes derived from the guest's time, self-IPIs. One per VCPU. The VMM
// asks `deliverable_vector()` before entering the guest and injects `acknowledge()`'s vector.
// Facts from the Intel SDM vol. 3, chapter 11 (APIC), and AMD APM vol. 2, chapter 16.
#pragma once

#include "io_apic.h"

#include <stdint.h>

namespace tessera::services::vmm {

// The local APIC timer's input clock (the "bus clock" Linux calibrates against the PIT).
constexpr uint64_t ApicTimerHz = 100000000;
constexpr uint64_t LocalApicWindowBytes = 0x1000;

class LocalApic final : public InterruptSink {
public:
    // `io_apic` receives the EOIs of level-triggered vectors (may be null).
    LocalApic(uint8_t apic_id, IoApic* io_apic);

    // 32-bit accesses at 16-byte aligned offsets of the 4 KiB window; others read 0 / are ignored.
    uint32_t read(uint64_t offset, uint64_t now_ns) const;
    void write(uint64_t offset, uint32_t value, uint64_t now_ns);

    // From the I/O APIC (or a device): accept a message addressed to this CPU.
    void deliver(const InterruptMessage& message) override;

    // Raises due timer interrupts into IRR; call before deliverable_vector().
    void advance(uint64_t now_ns);
    uint64_t next_timer_deadline_ns(uint64_t now_ns) const; // ~0 when the timer is idle

    // The highest pending vector above the processor priority, or -1.
    int deliverable_vector() const;
    // Moves that vector from IRR to ISR (the VMM injects it) and returns it; -1 when none.
    int acknowledge();
    bool take_nmi();

private:
    static bool test(const uint32_t* bits, unsigned vector);
    static void set(uint32_t* bits, unsigned vector, bool value);
    static int highest(const uint32_t* bits);
    void accept(uint8_t vector, bool level);
    uint8_t processor_priority() const;
    bool enabled() const;
    uint64_t timer_ticks(uint64_t now_ns) const;
    uint32_t current_count(uint64_t now_ns) const;
    uint64_t timer_period_ticks() const;
    uint64_t timer_fires(uint64_t ticks) const;

    IoApic* io_apic_;
    uint8_t id_;
    uint32_t tpr_ = 0;
    uint32_t ldr_ = 0;
    uint32_t dfr_ = 0xffffffff;
    uint32_t svr_ = 0xff;
    uint32_t esr_ = 0;
    uint32_t icr_low_ = 0, icr_high_ = 0;
    uint32_t lvt_[6]; // timer, thermal, performance, LINT0, LINT1, error
    uint32_t timer_initial_ = 0;
    uint32_t timer_divide_ = 0;
    uint64_t timer_start_ns_ = 0;
    uint64_t timer_fired_ = 0; // expiries already raised for this start
    uint32_t irr_[8] = {}, isr_[8] = {}, tmr_[8] = {};
    bool nmi_pending_ = false;
};

} // namespace tessera::services::vmm
