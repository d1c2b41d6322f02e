// What the device suites share: slots taken in order from BootInfo's empty range, the largest RAM
// untyped, the TSC frequency from the extra BootInfo, and the COM2 and PIT wiring of a PC.
#pragma once

#include <sel4/sel4.h>

namespace device_suite {

constexpr seL4_Word Depth = seL4_WordBits;
constexpr seL4_CPtr Root = seL4_CapInitThreadCNode;
constexpr seL4_Word Com2 = 0x2f8, Com2Last = 0x2ff;
constexpr seL4_Word Com2Pin = 3; // ISA IRQ 3: no interrupt source override on a PC
constexpr seL4_Word PitFirst = 0x40, PitLast = 0x43;
constexpr seL4_Word PitPin = 2;          // ISA IRQ 0 arrives on IOAPIC pin 2 (QEMU's MADT override)
constexpr seL4_Word MaxUserVector = 107; // seL4 pc99: irq_user_max - irq_user_min
constexpr seL4_Word Hpet = 0xfed00000;   // the PC's HPET registers

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

// The device untyped that holds `paddr`, split in halves until a 4 KiB untyped starts there, then
// retyped into a frame. Returns 0 when no device untyped holds it or a retype fails.
inline seL4_CPtr device_frame_at(const seL4_BootInfo* bi, Slots& slots, seL4_Word paddr)
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
        const seL4_CPtr halves = slots.take();
        slots.take();
        if (seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, Root, 0, 0, halves, 2) !=
            seL4_NoError)
            return 0;
        bits--;
        const bool upper = paddr >= base + (seL4_Word{1} << bits);
        ut = halves + (upper ? 1 : 0);
        base += upper ? seL4_Word{1} << bits : 0;
    }
    const seL4_CPtr frame = slots.take();
    if (ut == 0 || base != paddr ||
        seL4_Untyped_Retype(ut, seL4_X86_4K, 0, Root, 0, 0, frame, 1) != seL4_NoError)
        return 0;
    return frame;
}

inline seL4_Word read_tsc()
{
    seL4_Uint32 low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (seL4_Word(high) << 32) | low;
}

} // namespace device_suite
