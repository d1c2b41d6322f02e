// The kernel's interrupt state, seL4's intStateIRQTable, intStateIRQNode and x86KSIRQState in one
// object: per IRQ its state, where it comes from (the architecture's IrqRoute: on x86_64 an
// IOAPIC pin or an MSI), the slot holding the notification it signals, and counts of what
// arrived. Hardware access goes through the architecture's InterruptController and mask_route
// (irq/irq_route.h, the arch folder's).
#pragma once

#include "base/types.h"
#include "cap/slot.h"
#include "irq/irq_masking.h"
#include "irq/irq_route.h"

namespace tessera::core {

// seL4 pc99 numbering (include/plat/pc99/plat/machine.h): vector = IRQ + IrqVectorOffset; ISA
// IRQs 0..15 belong to the (masked) PIC; user IRQs 16..123 are what GetIOAPIC/GetMSI hand out as
// "vector" arguments 0..107.
inline constexpr Word IrqVectorOffset = 0x20;
inline constexpr Word IrqIsaMin = 0, IrqIsaMax = 15;
inline constexpr Word IrqUserMin = 16, IrqUserMax = 123;
inline constexpr Word MaxIrq = 125; // seL4's irq_timer, the last IRQ it numbers on one CPU
inline constexpr Word IrqCount = MaxIrq + 1;

constexpr Word vector_of(IrqNumber irq)
{
    return irq.raw() + IrqVectorOffset;
}

// seL4's irq_state_t.
enum class IrqState { Inactive, Signal, Timer, Reserved };

// What arrived, for tests and the debug console: never fatal, only counted.
struct IrqCounters {
    Word signalled = 0;   // delivered to a notification
    Word undelivered = 0; // issued IRQ without a notification (seL4 "Undelivered IRQ")
    Word unclaimed = 0;   // a user IRQ nobody was issued (seL4 "Received disabled IRQ")
    Word spurious = 0;    // reserved or out-of-range vectors
};

class IrqTable {
public:
    // seL4's initIRQControl for an IOAPIC configuration: user IRQs Inactive, everything else
    // (ISA lines of the masked PIC, the timer) Reserved.
    IrqTable();
    IrqTable(const IrqTable&) = delete;
    IrqTable& operator=(const IrqTable&) = delete;

    static constexpr bool is_valid(IrqNumber irq) { return irq.raw() <= MaxIrq; }

    // Only for valid IRQs.
    IrqState state(IrqNumber irq) const { return states_[irq.raw()]; }
    bool is_active(IrqNumber irq) const { return state(irq) != IrqState::Inactive; }
    const IrqRoute& route(IrqNumber irq) const { return routes_[irq.raw()]; }
    void set_route(IrqNumber irq, const IrqRoute& route) { routes_[irq.raw()] = route; }
    // The slot that holds the notification capability the IRQ signals (seL4 intStateIRQNode).
    Slot& notification_slot(IrqNumber irq) { return notification_slots_[irq.raw()]; }
    bool is_masked(IrqNumber irq) const { return masked_[irq.raw()]; }

    // seL4 setIRQState: Inactive masks the line, any other state unmasks it.
    void set_state(IrqNumber irq, IrqState state, InterruptController& controller);
    // seL4 maskInterrupt, where the IRQ's route has a mask (mask_route).
    void mask(IrqNumber irq, IrqMasking masking, InterruptController& controller);

    IrqCounters& counters() { return counters_; }
    const IrqCounters& counters() const { return counters_; }

private:
    IrqState states_[IrqCount];
    IrqRoute routes_[IrqCount];
    bool masked_[IrqCount];
    Slot notification_slots_[IrqCount];
    IrqCounters counters_;
};

} // namespace tessera::core
