// What the device suites share: slots taken in order from BootInfo's empty range, the largest RAM
// untyped, the TSC frequency from the extra BootInfo, and the COM2 and PIT wiring of a PC.
#pragma once

#include <sel4/sel4.h>

#include <tessera/pc_devices/device_frame.h>
#include <tessera/pc_devices/hpet_registers.h>
#include <tessera/pc_devices/hpet_timer0.h>

namespace device_suite {

namespace hpet = tessera::pc_devices::hpet;

constexpr seL4_Word Depth = seL4_WordBits;
constexpr seL4_CPtr Root = seL4_CapInitThreadCNode;
constexpr seL4_Word Com2 = 0x2f8, Com2Last = 0x2ff;
constexpr seL4_Word Com2Pin = 3; // ISA IRQ 3: no interrupt source override on a PC
constexpr seL4_Word PitFirst = 0x40, PitLast = 0x43;
constexpr seL4_Word PitPin = hpet::LegacyPin;
constexpr seL4_Word MaxUserVector = 107; // seL4 pc99: irq_user_max - irq_user_min
constexpr seL4_Word Hpet = hpet::Address;

class Slots {
public:
    explicit Slots(const seL4_BootInfo* bi) : next_(bi->empty.start) {}
    seL4_CPtr take() { return next_++; }

private:
    seL4_CPtr next_;
};

inline seL4_CPtr largest_untyped(const seL4_BootInfo* bi)
{
    seL4_Word best = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (!bi->untypedList[i].isDevice &&
            bi->untypedList[i].sizeBits > bi->untypedList[best].sizeBits)
            best = i;
    return bi->untyped.start + best;
}

// The TSC frequency in MHz from the extra BootInfo's X86_TSC_FREQ chunk, 0 when absent.
inline seL4_Word tsc_mhz(const seL4_BootInfo* bi)
{
    const auto* base = reinterpret_cast<const unsigned char*>(bi) + 4096;
    for (seL4_Word offset = 0; offset + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const auto* h = reinterpret_cast<const seL4_BootInfoHeader*>(base + offset);
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ)
            return reinterpret_cast<const uint32_t*>(h + 1)[0]; // seL4: 32 bits of MHz
        if (h->len == 0)
            break;
        offset += h->len;
    }
    return 0;
}

// The device frame at `paddr`, its untyped split with slots taken in order.
inline seL4_CPtr device_frame_at(const seL4_BootInfo* bi, Slots& slots, seL4_Word paddr)
{
    return tessera::pc_devices::device_frame_at(bi, [&slots] { return slots.take(); }, paddr);
}

inline seL4_Word read_tsc()
{
    seL4_Uint32 low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (seL4_Word(high) << 32) | low;
}

} // namespace device_suite
