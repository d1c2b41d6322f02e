// The kernel's one instance of the device bookkeeping, shared by the files in this folder only.
#pragma once

#include "ioport/issued_ports.h"
#include "irq/irq_table.h"

namespace tessera::x86_64 {

core::IrqTable& irq_table();
core::IssuedPorts& issued_ports();
core::InterruptController& interrupt_controller();

} // namespace tessera::x86_64
