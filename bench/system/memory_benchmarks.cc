// Memory benchmarks: mapping plus unmapping one 4 KiB frame, and retyping untyped memory into one
// 4 KiB frame. Both work on the root task's own address space and CNode.
#include <stdio.h>

#include "benchmarks.h"
#include "kernel_objects.h"
#include "suite.h"

namespace tessera::bench {
namespace {

void map_unmap(Suite& suite, KernelObjects& objects)
{
    const char* name = "map_unmap_4k";
    const Made frame = objects.make(seL4_X86_4K);
    if (!frame.ok())
        return suite.fail(name, "cannot retype a frame");
    // The first mapping creates the paging structures, which then stay: iterations map into an
    // existing page table, as a program remapping a buffer does.
    const seL4_Word vaddr = BenchmarkMappingBase;
    if (objects.map_frame(frame.cap, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite) != seL4_NoError ||
        seL4_X86_Page_Unmap(frame.cap) != seL4_NoError)
        return suite.fail(name, "cannot map the frame");
    suite.measure(name, [&] {
        const Timestamp start = start_timestamp();
        const seL4_Error mapped = seL4_X86_Page_Map(frame.cap, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite,
                                                    seL4_X86_Default_VMAttributes);
        const seL4_Error unmapped = seL4_X86_Page_Unmap(frame.cap);
        const Timestamp end = end_timestamp();
        return Sample{mapped == seL4_NoError && unmapped == seL4_NoError, ticks_between(start, end)};
    });
}

void retype(Suite& suite, KernelObjects& objects)
{
    const char* name = "retype_4k";
    // A 4 KiB untyped of its own: once the frame is deleted it has no children again, so the
    // next retype starts from its bottom (seL4's reset) and every iteration does the same work,
    // including clearing the frame.
    const Made untyped = objects.make(seL4_UntypedObject, seL4_PageBits);
    const seL4_CPtr slot = objects.take_slot();
    if (!untyped.ok() || slot == 0)
        return suite.fail(name, "cannot make a 4 KiB untyped");
    suite.measure(name, [&] {
        const Timestamp start = start_timestamp();
        const seL4_Error retyped =
            seL4_Untyped_Retype(untyped.cap, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
        const Timestamp end = end_timestamp();
        const seL4_Error deleted = seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
        if (retyped != seL4_NoError || deleted != seL4_NoError)
            printf("bench.%s: retype error %d, delete error %d\n", name, int(retyped), int(deleted));
        return Sample{retyped == seL4_NoError && deleted == seL4_NoError, ticks_between(start, end)};
    });
}

} // namespace

void run_memory_benchmarks(Suite& suite, KernelObjects& objects)
{
    map_unmap(suite, objects);
    retype(suite, objects);
}

} // namespace tessera::bench
