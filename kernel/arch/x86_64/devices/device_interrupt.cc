// A device vector arrived: the portable handle_irq decides (signal and mask, or count), then the
// local APIC gets its EOI, which every device vector needs whatever happened to it.
#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/lapic.h"
#include "device_state.h"
#include "irq/irq_delivery.h"
#include "notification/notification.h"

namespace tessera::x86_64 {
namespace {

class KernelSignaller final : public core::NotificationSignaller {
public:
    // seL4 sendSignal; a thread it wakes runs when the kernel leaves through the scheduler.
    void signal(core::PAddr notification, core::Badge badge) override
    {
        core::IpcContext& ipc = ipc_context();
        core::send_signal(ipc, *ipc.core.window.at<core::Notification>(notification), badge);
    }
};

KernelSignaller signaller;

} // namespace

void handle_device_interrupt(unsigned vector)
{
    const core::IrqNumber irq{vector - core::IrqVectorOffset};
    (void)core::handle_irq(irq_table(), interrupt_controller(), signaller, irq);
    lapic_end_of_interrupt();
}

const core::IrqCounters& device_interrupt_counters()
{
    return irq_table().counters();
}

} // namespace tessera::x86_64
