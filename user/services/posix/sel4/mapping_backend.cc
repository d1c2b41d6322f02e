// Process address spaces and their page mappings through seL4's x86_64 invocations.
#include "sel4/mapping_backend.h"

#include <sel4/sel4.h>

#include "sel4/self_caps.h"

namespace tessera::posix::sel4 {

namespace {

seL4_CapRights_t rights_for(Writable writable)
{
    return writable == Writable::Yes ? seL4_ReadWrite : seL4_CanRead;
}

} // namespace

Result<HardwareSpace*> MappingBackend::create_space()
{
    auto root = objects_.allocate(seL4_X64_PML4Object);
    if (!root)
        return Errno::NoMem;
    const seL4_CPtr cap = libos::raw(root.value().cap);
    auto* space = new (std::nothrow) HardwareSpace{root.value(), PageTables(objects_, cap)};
    if (space == nullptr || seL4_X86_ASIDPool_Assign(asid_pool_, cap) != seL4_NoError) {
        delete space;
        (void)objects_.free(root.value());
        return Errno::NoMem;
    }
    return space;
}

void MappingBackend::destroy_space(HardwareSpace* space)
{
    space->tables.free_all();
    (void)objects_.free(space->root);
    delete space;
}

Result<uint64_t> MappingBackend::map(HardwareSpace* space, uint64_t vaddr, Frame& frame,
                                     Writable writable)
{
    auto slot = objects_.slots().allocate();
    if (!slot)
        return Errno::NoMem;
    const seL4_CPtr copy = libos::raw(slot.value());
    seL4_Error error = seL4_CNode_Copy(self_caps().cnode, copy, seL4_WordBits,
                                       self_caps().cnode, frame.platform, seL4_WordBits,
                                       seL4_AllRights);
    if (error == seL4_NoError) {
        error = space->tables.map(copy, vaddr, rights_for(writable));
        if (error != seL4_NoError)
            (void)seL4_CNode_Delete(self_caps().cnode, copy, seL4_WordBits);
    }
    if (error != seL4_NoError) {
        (void)objects_.slots().free(slot.value());
        return Errno::NoMem;
    }
    return uint64_t{copy};
}

Result<void> MappingBackend::protect(HardwareSpace* space, uint64_t vaddr, Frame&,
                                     uint64_t mapping, Writable writable)
{
    (void)seL4_X86_Page_Unmap(mapping);
    if (space->tables.map(mapping, vaddr, rights_for(writable)) != seL4_NoError)
        return Errno::NoMem;
    return {};
}

void MappingBackend::unmap(HardwareSpace*, uint64_t, uint64_t mapping)
{
    // Deleting the copy unmaps it.
    (void)seL4_CNode_Delete(self_caps().cnode, mapping, seL4_WordBits);
    (void)objects_.slots().free(libos::CPtr{mapping});
}

} // namespace tessera::posix::sel4
