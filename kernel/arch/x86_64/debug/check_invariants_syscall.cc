// TESSERA_SysDebugCheckInvariants (issue 10): the portable invariant checker run over the live
// kernel, from the calling thread's own slots and the scheduler's state. The workspace is too big
// for a kernel stack, so it lives in the data section; the kernel runs one system call at a time.
#include "arch/x86_64/debug_syscalls.h"

#include "arch/x86_64/devices/device_state.h"
#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/root_task.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/vspace.h"
#include "invariants/invariants.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

core::InvariantWorkspace workspace;

// The checker's view of the real paging structures: the user half of each PML4 (the kernel
// half is the kernel's own, shared by every address space).
class PagingStructures final : public core::VSpaceView {
public:
    core::Word asid_limit() const override { return core::Word{1} << (AsidHighBits + AsidLowBits); }
    core::PAddr root_of(core::Asid asid) const override { return core::PAddr{pml4_for_asid(asid)}; }
    void for_each_frame(core::PAddr root, core::MappingVisitor& visitor) const override
    {
        exempt_ = root_task_stack();
        if (exempt_.pml4 != root.raw())
            exempt_ = {};
        walk(root.raw(), 3, 0, UserEntries, visitor);
    }

private:
    static constexpr unsigned UserEntries = 256;

    // Level 3 is the PML4; a large-page bit at levels 2 and 1 maps a 1 GiB or 2 MiB frame.
    bool walk(uint64_t table, unsigned level, uint64_t base, unsigned entries,
              core::MappingVisitor& visitor) const
    {
        const uint64_t* e = physical_to_virtual<uint64_t>(table);
        const unsigned shift = PageBits + 9 * level;
        for (unsigned i = 0; i < entries; ++i) {
            if (!(e[i] & pte::Present))
                continue;
            const uint64_t vaddr = base + (uint64_t{i} << shift);
            const bool leaf = level == 0 || (level < 3 && (e[i] & pte::LargePage));
            if (!leaf) {
                if (!walk(e[i] & pte::AddressMask, level - 1, vaddr, 512, visitor))
                    return false;
                continue;
            }
            if (vaddr >= exempt_.bottom && vaddr < exempt_.top)
                continue; // the root task's stack: the kernel's own frames, with no capability
            const uint64_t frame = e[i] & pte::AddressMask & ~((uint64_t{1} << shift) - 1);
            if (!visitor.visit({core::VAddr{vaddr}, core::PAddr{frame}, core::SizeBits{shift}}))
                return false;
        }
        return true;
    }

    mutable RootTaskStack exempt_ = {};
};

PagingStructures paging_structures;

} // namespace

void debug_check_invariants(core::Tcb& thread)
{
    // Everything the checker looks at is reached from the caller's CSpace, VSpace and IPC buffer
    // slots, and from the ready queues (which lead to every other runnable thread's slots).
    core::Slot* roots[core::TcbSlotCount];
    for (size_t i = 0; i < core::TcbSlotCount; ++i)
        roots[i] = &thread.slots[i];
    const core::ArchTables arch_tables{&paging_structures, &issued_ports()};
    const core::InvariantReport report = core::check_invariants(
        core_context(), core::RootSlots{roots, core::TcbSlotCount},
        ipc_context().scheduler.cpu(), workspace,
        core::KernelTables{&irq_table(), &arch_tables});
    if (report.is_broken())
        kprintf("tessera: invariant broken: %s\n", report.line());
    registers_of(thread).r10 = report.is_broken() ? 1 : 0; // the first message register
}

} // namespace tessera::x86_64
