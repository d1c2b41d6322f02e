// seL4_DebugSnapshot: one line per capability in the caller's CSpace, nested CNodes indented,
// then what device interrupts did. seL4 prints a capDL description; Tessera prints this simpler
// list, which is what a driver developer looks at to see which rights a thread really holds.
#include "arch/x86_64/devices.h"
#include "arch/x86_64/kernel_objects.h"
#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

using core::Cap;
using core::CapType;
using core::PAddr;
using core::Word;

constexpr unsigned MaxNesting = 4;

const char* kind_name(CapType type)
{
    switch (type) {
    case CapType::Null:
        return "null";
    case CapType::Untyped:
        return "untyped";
    case CapType::Endpoint:
        return "endpoint";
    case CapType::Notification:
        return "notification";
    case CapType::Reply:
        return "reply";
    case CapType::CNode:
        return "cnode";
    case CapType::Tcb:
        return "tcb";
    case CapType::IrqControl:
        return "irq_control";
    case CapType::IrqHandler:
        return "irq_handler";
    case CapType::Zombie:
        return "zombie";
    case CapType::Domain:
        return "domain";
    case CapType::Frame:
        return "frame";
    case CapType::PageTable:
        return "page_table";
    case CapType::PageDirectory:
        return "page_directory";
    case CapType::Pdpt:
        return "pdpt";
    case CapType::Pml4:
        return "pml4";
    case CapType::AsidControl:
        return "asid_control";
    case CapType::AsidPool:
        return "asid_pool";
    case CapType::IoPortControl:
        return "io_port_control";
    case CapType::IoPort:
        return "io_port";
    case CapType::SvmVcpu:
        return "svm_vcpu";
    }
    return "?";
}

void print_details(Cap cap)
{
    switch (cap.type()) {
    case CapType::Untyped: {
        const core::UntypedCap u{cap};
        kprintf(" 0x%lx bits %u%s", u.base().raw(), u.size_bits().raw(),
                u.device() == core::Device::Yes ? " device" : "");
        return;
    }
    case CapType::Endpoint:
        kprintf(" 0x%lx badge 0x%lx", core::EndpointCap{cap}.object().raw(),
                core::EndpointCap{cap}.badge().raw());
        return;
    case CapType::Notification:
        kprintf(" 0x%lx badge 0x%lx", core::NotificationCap{cap}.object().raw(),
                core::NotificationCap{cap}.badge().raw());
        return;
    case CapType::CNode:
        kprintf(" 0x%lx radix %u guard %u", core::CNodeCap{cap}.object().raw(),
                core::CNodeCap{cap}.radix(), core::CNodeCap{cap}.guard_size());
        return;
    case CapType::Frame: {
        const core::FrameCap f{cap};
        kprintf(" 0x%lx bits %u%s", f.object().raw(), f.size_bits().raw(),
                f.device() == core::Device::Yes ? " device" : "");
        if (f.is_mapped())
            kprintf(" at 0x%lx asid %lu", f.mapped_address().raw(), f.mapped_asid().raw());
        return;
    }
    case CapType::IrqHandler:
        kprintf(" irq %lu vector 0x%lx", core::IrqHandlerCap{cap}.irq().raw(),
                core::vector_of(core::IrqHandlerCap{cap}.irq()));
        return;
    case CapType::IoPort:
        kprintf(" 0x%x-0x%x", core::IoPortCap{cap}.first().raw(),
                core::IoPortCap{cap}.last().raw());
        return;
    case CapType::Tcb:
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
    case CapType::Pml4:
    case CapType::AsidPool:
    case CapType::SvmVcpu:
        kprintf(" 0x%lx", core::cap_layout::Object::get(cap.word0()));
        return;
    default:
        return;
    }
}

// Prints `node`'s slots; CNodes inside are printed below their slot, except one already on the
// path from the root (a CSpace usually holds a capability to its own root).
void print_cnode(core::CNodeCap node, PAddr (&path)[MaxNesting], unsigned depth)
{
    const core::CoreContext& ctx = core_context();
    path[depth] = node.object();
    for (Word i = 0; i < (Word{1} << node.radix()); i++) {
        const Cap cap = ctx.window.at<core::Slot>(node.slot_address(i))->cap;
        if (cap.is_null())
            continue;
        kprintf("%*s0x%03lx %s", int(2 * depth + 2), "", i, kind_name(cap.type()));
        print_details(cap);
        kprintf("\n");
        if (cap.type() != CapType::CNode || depth + 1 >= MaxNesting)
            continue;
        bool on_path = false;
        for (unsigned d = 0; d <= depth; d++)
            on_path = on_path || path[d] == core::CNodeCap{cap}.object();
        if (!on_path)
            print_cnode(core::CNodeCap{cap}, path, depth + 1);
    }
}

} // namespace

void debug_snapshot(const char* thread, core::Cap cspace_root)
{
    kprintf("snapshot: thread '%s'\n", thread);
    if (cspace_root.type() != CapType::CNode) {
        kprintf("  no CSpace root (%s)\n", kind_name(cspace_root.type()));
    } else {
        PAddr path[MaxNesting] = {};
        print_cnode(core::CNodeCap{cspace_root}, path, 0);
    }
    const core::IrqCounters& irq = device_interrupt_counters();
    kprintf("snapshot: interrupts signalled %lu undelivered %lu unclaimed %lu spurious %lu\n",
            irq.signalled, irq.undelivered, irq.unclaimed, irq.spurious);
}

} // namespace tessera::x86_64
