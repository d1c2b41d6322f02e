// Starting a loaded image: its CSpace, IPC buffer, stack and first thread.
#include <tessera/elf/loader.h>
#include <tessera/libos/kernel_calls.h>

namespace tessera::elf {

using libos::check;
using libos::PageSize;
using libos::raw;
using vspace::Ownership;

namespace {

// Everything a half-built process holds, given back if a later step fails.
struct Undo {
    alloc::ObjectAllocator& objects;
    vspace::VSpace& target;
    VAddr ipc_buffer;
    Object held[2];
    unsigned count = 0;
    bool armed = true;
    ~Undo()
    {
        if (!armed)
            return;
        (void)target.unmap(ipc_buffer, 1); // owned by the target: unmapping frees it
        while (count > 0)
            (void)objects.free(held[--count]);
    }
};

// `root` is the CNode the caller's allocator hands out slots of (the root task's, or a
// component's own CNode capability), which holds `source`.
Result<void> copy_into(const Object& cnode, SizeBits slot_bits, seL4_Word slot, CPtr root,
                       CPtr source)
{
    return check(seL4_CNode_Copy(raw(cnode.cap), slot, static_cast<seL4_Uint8>(raw(slot_bits)),
                                 raw(root), raw(source), seL4_WordBits, seL4_AllRights),
                 "elf: copy cap into new CSpace");
}

} // namespace

Result<Process> start_process(alloc::ObjectAllocator& objects, const Image& image,
                              const Object& vspace_root, vspace::VSpace& target,
                              vspace::VSpace& self, VAddr window, const ProcessConfig& config)
{
    if (config.stack_pages == 0)
        return libos::make_error(seL4_RangeError, "elf: no stack");
    auto loaded = load_segments(objects, image, target, self, window);
    if (!loaded)
        return loaded.error();

    // Guard, IPC buffer, guard, stack: a stack overflow faults on the guard below it.
    const bool microkit = config.layout == Layout::Microkit;
    const VAddr ipc_buffer = microkit ? VAddr{MicrokitStackTop - (config.stack_pages + 2) * PageSize}
                                      : image.top() + PageSize;
    if (microkit && ipc_buffer < image.top() + PageSize)
        return libos::make_error(seL4_RangeError, "elf: the stack meets the image");
    auto ipc_range = target.reserve_at(ipc_buffer, 1);
    if (!ipc_range)
        return ipc_range.error();
    auto stack_range = target.reserve_at(ipc_buffer + 2 * PageSize, config.stack_pages);
    if (!stack_range)
        return stack_range.error();
    auto stack = target.map_new_pages(stack_range.value().base, config.stack_pages, seL4_ReadWrite);
    if (!stack)
        return stack.error();

    auto ipc_frame = objects.frame();
    if (!ipc_frame)
        return ipc_frame.error();
    auto ipc_mapped = target.map(ipc_frame.value(), ipc_buffer, seL4_ReadWrite, Ownership::Owned);
    if (!ipc_mapped) {
        (void)objects.free(ipc_frame.value());
        return ipc_mapped.error();
    }
    Undo undo{objects, target, ipc_buffer};
    auto cnode = objects.cnode(config.cnode_slot_bits);
    if (!cnode)
        return cnode.error();
    undo.held[undo.count++] = cnode.value();
    auto tcb = objects.tcb();
    if (!tcb)
        return tcb.error();
    undo.held[undo.count++] = tcb.value();

    const SizeBits bits = config.cnode_slot_bits;
    const CPtr root = objects.slots().root();
    // A Microkit PD's slots are the caller's to fill: the library OS's would take its input's.
    Result<void> step{};
    if (!microkit)
        step = copy_into(cnode.value(), bits, ChildTcbSlot, root, tcb.value().cap);
    if (step && !microkit)
        step = copy_into(cnode.value(), bits, ChildCNodeSlot, root, cnode.value().cap);
    if (step && !microkit)
        step = copy_into(cnode.value(), bits, ChildVSpaceSlot, root, vspace_root.cap);
    if (step && !microkit)
        step = copy_into(cnode.value(), bits, ChildIpcBufferSlot, root, ipc_frame.value().cap);
    const seL4_Word fault_slot_in_cspace = microkit ? MicrokitFaultEndpointSlot : ChildFaultEndpointSlot;
    if (step && config.fault_endpoint != libos::NullCap) {
        // Send and grant-reply only: the process must not receive on its supervisor's endpoint.
        step = check(seL4_CNode_Mint(raw(cnode.value().cap), fault_slot_in_cspace,
                                     static_cast<seL4_Uint8>(raw(bits)), raw(root),
                                     raw(config.fault_endpoint), seL4_WordBits,
                                     seL4_CapRights_new(1, 0, 0, 1), config.fault_badge),
                     "elf: mint fault endpoint");
    }
    if (!step)
        return step.error();

    // The new CSpace's guard makes its slots resolve with a whole word, like the root task's.
    const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - raw(bits)).words[0];
    const seL4_Word fault_slot =
        config.fault_endpoint != libos::NullCap ? fault_slot_in_cspace : seL4_Word{0};
    step = check(seL4_TCB_Configure(raw(tcb.value().cap), fault_slot, raw(cnode.value().cap), guard,
                                    raw(vspace_root.cap), 0, ipc_buffer.raw(),
                                    raw(ipc_frame.value().cap)),
                 "elf: configure TCB");
    if (step) {
        step = check(seL4_TCB_SetPriority(raw(tcb.value().cap), raw(config.priority_authority),
                                          config.priority),
                     "elf: set priority");
    }
    if (!step)
        return step.error();

    seL4_UserContext registers{};
    registers.rip = image.entry().raw();
    registers.rsp = stack_range.value().top().raw();
    registers.rdi = microkit ? ipc_buffer.raw() : 0;
    registers.rsi = microkit ? 0 : ipc_buffer.raw();
    registers.rflags = libos::InitialUserFlags;
    step = check(seL4_TCB_WriteRegisters(raw(tcb.value().cap), config.resume ? 1 : 0, 0,
                                         sizeof(registers) / sizeof(seL4_Word), &registers),
                 "elf: write registers and resume");
    if (!step)
        return step.error();
    undo.armed = false;
    return Process{cnode.value(), tcb.value(), ipc_frame.value(),
                   image.entry(), ipc_buffer,  stack_range.value().top()};
}

Result<void> destroy_process(alloc::ObjectAllocator& objects, const Process& process,
                             const Object& vspace_root, vspace::VSpace& target)
{
    auto step = objects.free(process.tcb);
    if (step)
        step = objects.free(process.cnode);
    if (step)
        step = target.release_all();
    if (step)
        step = objects.free(vspace_root);
    return step;
}

} // namespace tessera::elf
