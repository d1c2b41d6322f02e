// A root task's way to a PC device's registers: the device untyped that holds a physical address,
// split in halves until a 4 KiB untyped starts there, retyped into a frame (seL4 Reference
// Manual, "Untyped Memory"; device untypeds come in BootInfo's untypedList with isDevice set).
#pragma once

#include <sel4/sel4.h>

namespace tessera::pc_devices {

// The frame at `paddr`, in the root CNode; `take_slot()` hands out empty root CNode slots, two per
// split and one for the frame. Returns 0 when no device untyped holds `paddr` or a retype fails.
template <class TakeSlot> seL4_CPtr device_frame_at(const seL4_BootInfo* bi, TakeSlot&& take_slot, seL4_Word paddr)
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
        if (seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, seL4_CapInitThreadCNode, 0, 0, halves, 2) !=
            seL4_NoError)
            return 0;
        bits--;
        const bool upper = paddr >= base + (seL4_Word{1} << bits);
        ut = halves + (upper ? 1 : 0);
        base += upper ? seL4_Word{1} << bits : 0;
    }
    const seL4_CPtr frame = take_slot();
    if (ut == 0 || base != paddr ||
        seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1) != seL4_NoError)
        return 0;
    return frame;
}

} // namespace tessera::pc_devices
