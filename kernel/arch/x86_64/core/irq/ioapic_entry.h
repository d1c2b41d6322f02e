// The IOAPIC's registers and its 64-bit redirection entries (Intel 82093AA I/O APIC datasheet,
// 3.2.4), declared once as fields so that the kernel's writes and the host tests agree.
#pragma once

#include <cstdint>

#include "base/field.h"
#include "base/types.h"
#include "irq/ioapic_line.h"
#include "irq/irq_masking.h"

namespace tessera::core::ioapic {

// Memory-mapped: write a register number to RegisterSelect, then read or write Window.
inline constexpr Word RegisterSelectOffset = 0x00;
inline constexpr Word WindowOffset = 0x10;

// Indirect registers.
inline constexpr uint32_t IdRegister = 0x00;
inline constexpr uint32_t VersionRegister = 0x01;
constexpr uint32_t redirection_low(unsigned pin)
{
    return 0x10 + 2 * pin;
}
constexpr uint32_t redirection_high(unsigned pin)
{
    return redirection_low(pin) + 1;
}

// Version register: the highest redirection entry (pins - 1).
using MaxRedirectionEntry = Field<16, 8>;

// seL4 (pc99 IOAPIC_IRQ_LINES) accepts pins 0..23 on every IOAPIC, whatever the chip reports.
inline constexpr Word PinsPerIoapic = 24;

// Trigger and Polarity are the line's (irq/ioapic_line.h); the mask bit is the table's masking.
using Masking = IrqMasking;
static_assert(Word(Masking::Masked) == 1 && Word(Trigger::Level) == 1 && Word(Polarity::ActiveLow) == 1);

namespace entry {
using Vector = Field<0, 8>;
using DeliveryMode = Field<8, 3>;     // 0: fixed
using DestinationMode = Field<11, 1>; // 0: physical (an APIC ID)
using DeliveryStatus = Field<12, 1>;  // read-only
using PolarityBit = Field<13, 1>;
using RemoteIrr = Field<14, 1>; // read-only
using TriggerBit = Field<15, 1>;
using Mask = Field<16, 1>;
using Destination = Field<56, 8>;
static_assert(disjoint_fields<Vector, DeliveryMode, DestinationMode, DeliveryStatus, PolarityBit,
                              RemoteIrr, TriggerBit, Mask, Destination>());
} // namespace entry

// A fixed-delivery, physical-destination entry: `vector` on the CPU whose APIC ID is
// `destination` (what seL4 programs, one CPU).
constexpr uint64_t make_entry(Word vector, Trigger trigger, Polarity polarity, Masking masking,
                              Word destination)
{
    uint64_t e = entry::Vector::set(0, vector);
    e = entry::PolarityBit::set(e, static_cast<Word>(polarity));
    e = entry::TriggerBit::set(e, static_cast<Word>(trigger));
    e = entry::Mask::set(e, static_cast<Word>(masking));
    return entry::Destination::set(e, destination);
}

constexpr uint64_t with_masking(uint64_t e, Masking masking)
{
    return entry::Mask::set(e, static_cast<Word>(masking));
}

} // namespace tessera::core::ioapic
