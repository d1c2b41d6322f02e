// HostTimer::init: the root-task VMM takes the HPET and its interrupt itself (a protection
// domain is given both by its system and calls attach alone).
#include "host_timer.h"

#include <tessera/alloc.h>

namespace tessera::services::vmm {
namespace {

constexpr seL4_Word HpetAddress = 0xfed00000;
constexpr seL4_Word HpetPin = 2;   // timer 0 in legacy replacement mode
constexpr seL4_Word IrqVector = 0; // any user vector: nothing else in the VMM has one

libos::Result<seL4_CPtr> object(seL4_Word type, const char* what)
{
    tessera_object_t made;
    if (const seL4_Error e = tessera_alloc_object(type, 0, &made); e != seL4_NoError)
        return libos::make_error(e, what);
    return made.cptr;
}

} // namespace

libos::Result<void> HostTimer::init(const GuestClock& clock, seL4_Word window)
{
    tessera_object_t frame;
    if (const seL4_Error e = tessera_alloc_object_at(seL4_X86_4K, 0, HpetAddress, &frame);
        e != seL4_NoError)
        return libos::make_error(e, "host timer: the HPET's registers");
    const auto pd = object(seL4_X86_PageDirectoryObject, "host timer: a page directory");
    if (!pd)
        return pd.error();
    const auto pt = object(seL4_X86_PageTableObject, "host timer: a page table");
    if (!pt)
        return pt.error();
    const seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    seL4_Error e = seL4_X86_PageDirectory_Map(pd.value(), seL4_CapInitThreadVSpace, window, attr);
    if (e == seL4_NoError)
        e = seL4_X86_PageTable_Map(pt.value(), seL4_CapInitThreadVSpace, window, attr);
    if (e == seL4_NoError) // device frames are always mapped uncached
        e = seL4_X86_Page_Map(frame.cptr, seL4_CapInitThreadVSpace, window, seL4_ReadWrite, attr);
    if (e != seL4_NoError)
        return libos::make_error(e, "host timer: mapping the HPET");

    const auto ntfn = object(seL4_NotificationObject, "host timer: a notification");
    if (!ntfn)
        return ntfn.error();
    notification_ = ntfn.value();
    seL4_CPtr handler = seL4_CapNull;
    if (const seL4_Error s = tessera_alloc_slot(&handler); s != seL4_NoError)
        return libos::make_error(s, "host timer: a slot for the IRQ handler");
    e = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, handler,
                                  seL4_WordBits, 0, HpetPin, 0, 0, IrqVector);
    if (e == seL4_NoError)
        e = seL4_IRQHandler_SetNotification(handler, notification_);
    if (e == seL4_NoError)
        e = seL4_TCB_BindNotification(seL4_CapInitThreadTCB, notification_);
    if (e != seL4_NoError)
        return libos::make_error(e, "host timer: the HPET's interrupt");
    return attach(clock, reinterpret_cast<volatile uint64_t*>(window), handler);
}

} // namespace tessera::services::vmm
