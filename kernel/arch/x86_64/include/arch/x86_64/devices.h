// Devices for user-level drivers (issue 6): the IOAPIC, IRQ and I/O port capabilities and what a
// device interrupt does. The portable rules live in kernel/core/irq and kernel/arch/x86_64/core/ioport; this
// is the kernel's one instance of them and the hooks the rest of the kernel calls.
#pragma once

#include <cstdint>

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "boot/multiboot.h"
#include "boot/physical_regions.h"
#include "cap/cap.h"
#include "cap/slot.h"
#include "cdt/object_hooks.h"
#include "irq/irq_table.h"

namespace tessera::x86_64 {

// Boot, after the local APIC: finds the IOAPICs (ACPI MADT, or the PC's standard address) below
// `direct_map_end`, masks every pin, routed to this CPU, and works out the device memory.
void init_devices(const boot::MultibootInfo& multiboot, uint64_t direct_map_end);

// The physical ranges the root task gets as device untypeds: the whole physical address space
// except RAM and the IOAPIC and local APIC pages (valid after init_devices).
const boot::PhysicalRegions& device_memory();

// Invocations of IRQControl, IRQHandler, IOPortControl and IOPort capabilities (`slot` holds the
// invoked one). A reply, if any, goes to `reply[0..reply_length)`.
core::Result<core::Progress> invoke_device_object(core::CoreContext& ctx, core::Word label,
                                                  const core::Invocation& inv, core::Slot& slot,
                                                  core::Word* reply, core::Word& reply_length);

// A device vector (>= PicBase, not the local APIC's own) arrived: deliver it, then EOI.
void handle_device_interrupt(unsigned vector);

// ObjectHooks::finalise for device capabilities (the last IRQ handler drops its notification).
void finalise_device_cap(core::Cap cap, core::Finality finality);
// ObjectHooks::post_cap_deletion: the IRQ becomes free and masked, the port range issuable.
void release_device_cap(core::Cap cleanup);

// What device interrupts did so far (signalled, undelivered, unclaimed, spurious).
const core::IrqCounters& device_interrupt_counters();

// seL4_DebugSnapshot: prints every capability reachable from `cspace_root` (nested CNodes
// indented) and the interrupt counters, headed by the thread's name.
void debug_snapshot(const char* thread, core::Cap cspace_root);

} // namespace tessera::x86_64
