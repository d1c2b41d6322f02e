// The kernel's one instance of the device bookkeeping, shared by the files in this folder only.
#pragma once

#include "boot/multiboot.h"
#include "ioport/issued_ports.h"
#include "irq/irq_table.h"
#include "irq/madt.h"

namespace tessera::x86_64 {

core::IrqTable& irq_table();
core::IssuedPorts& issued_ports();
core::InterruptController& interrupt_controller();
// Boot: RAM and the interrupt controllers' pages are not device memory.
void collect_device_memory(const boot::MultibootInfo& multiboot,
                           const core::InterruptTopology& topology);

} // namespace tessera::x86_64
