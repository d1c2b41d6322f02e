#include "arch/x86_64/kernel_objects.h"

#include "arch/x86_64/devices.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/vspace.h"
#include "cdt/object_hooks.h"

namespace tessera::x86_64 {
namespace {

extern core::CoreContext context;

// What deleting the last capability to an object does. Endpoints, notifications and TCBs have
// no queues or threads yet; frames and paging structures are not mapped by invocations yet.
class KernelHooks final : public core::ObjectHooks {
public:
    // FIXME(#5): cancel IPC and suspend threads.
    void finalise(core::Cap cap, core::Finality finality) override
    {
        finalise_vspace_cap(cap, finality == core::Finality::Final);
        finalise_device_cap(cap, finality); // issue 6: an IRQ handler drops its notification
    }
    void created(core::Cap cap) override { initialise_vspace_object(context, cap); }
    void post_cap_deletion(core::Cap cleanup) override { release_device_cap(cleanup); } // IRQs, port ranges
};

// The kernel runs with interrupts off; long operations ask here whether one is waiting.
class TimerPreemption final : public core::Preemption {
public:
    // FIXME(#5): report a pending timer or device interrupt once the scheduler can restart calls.
    bool is_pending() override { return false; }
};

KernelHooks hooks;
TimerPreemption preemption;

core::CoreContext context{core::MemoryWindow{DirectMapBase}, hooks, preemption};

} // namespace

core::CoreContext& core_context() { return context; }

} // namespace tessera::x86_64
