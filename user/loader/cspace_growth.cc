// TCB_SetSpace names the new root, the TCB and the VSpace by cptrs of the old CSpace, and the
// thread resolves every cptr in the new one as soon as it returns: so the TCB and VSpace are
// copied (not moved) beforehand, together with a capability to the old CNode through which their
// originals, and then the old CNode itself, are deleted afterwards.
#include "cspace_growth.h"

#include <sel4/sel4.h>

namespace tessera::loader {
namespace {

using libos::check;
using libos::CPtr;
using libos::make_error;
using libos::raw;

constexpr seL4_Word RootDepth = seL4_WordBits;

bool keeps_its_place(seL4_Word slot, seL4_Word new_cnode, seL4_Word old_cnode_copy)
{
    return slot == seL4_CapInitThreadTCB || slot == seL4_CapInitThreadCNode ||
           slot == seL4_CapInitThreadVSpace || slot == new_cnode || slot == old_cnode_copy;
}

bool may_be_full(const alloc::SlotAllocator& slots, seL4_Word slot, seL4_Word first_free,
                 DebugCalls debug_calls)
{
    if (slot >= first_free)
        return slots.is_allocated(CPtr{slot});
    return debug_calls == DebugCalls::Absent || seL4_DebugCapIdentify(slot) != 0;
}

} // namespace

libos::Result<void> grow_cspace(alloc::ObjectAllocator& objects, uint32_t old_bits, uint32_t new_bits,
                                seL4_Word first_free, DebugCalls debug_calls)
{
    if (new_bits <= old_bits || new_bits >= seL4_WordBits)
        return make_error(seL4_InvalidArgument, "grow the CSpace: the new CNode must be larger");
    auto created = objects.cnode(libos::SizeBits{new_bits});
    if (!created)
        return created.error();
    const seL4_Word cnode = raw(created.value().cap);
    auto spare = objects.slots().allocate();
    if (!spare)
        return spare.error();
    const seL4_Word old_copy = raw(spare.value());
    const uint8_t depth = uint8_t(new_bits);
    const seL4_Word old_slots = seL4_Word{1} << old_bits;

    // A copy of the old CNode's capability at old_copy's index in the new CNode: after the switch
    // it is the only way back into the old one.
    auto done = check(seL4_CNode_Copy(cnode, old_copy, depth, seL4_CapInitThreadCNode,
                                      seL4_CapInitThreadCNode, RootDepth, seL4_AllRights),
                      "copy the old root CNode's capability");
    for (seL4_Word slot = 0; done && slot < old_slots; ++slot) {
        if (keeps_its_place(slot, cnode, old_copy) ||
            !may_be_full(objects.slots(), slot, first_free, debug_calls))
            continue;
        const seL4_Error moved =
            seL4_CNode_Move(cnode, slot, depth, seL4_CapInitThreadCNode, slot, RootDepth);
        // An empty source slot is a failed lookup: nothing to move.
        if (moved != seL4_NoError && moved != seL4_FailedLookup)
            done = check(moved, "move a capability into the new root CNode");
    }
    if (done)
        done = check(seL4_CNode_Copy(cnode, seL4_CapInitThreadTCB, depth, seL4_CapInitThreadCNode,
                                     seL4_CapInitThreadTCB, RootDepth, seL4_AllRights),
                     "copy the loader's TCB capability");
    if (done)
        done = check(seL4_CNode_Copy(cnode, seL4_CapInitThreadVSpace, depth, seL4_CapInitThreadCNode,
                                     seL4_CapInitThreadVSpace, RootDepth, seL4_AllRights),
                     "copy the loader's VSpace capability");
    // The guard takes the bits the new CNode does not resolve, so cptrs stay plain slot numbers
    // at seL4's full depth of 64, as in the kernel's root CNode.
    const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - new_bits).words[0];
    if (done)
        done = check(seL4_CNode_Mint(cnode, seL4_CapInitThreadCNode, depth, seL4_CapInitThreadCNode,
                                     cnode, RootDepth, seL4_AllRights, guard),
                     "put the new root CNode's capability in its own slot 2");
    if (done)
        done = check(seL4_TCB_SetSpace(seL4_CapInitThreadTCB, seL4_CapNull, cnode, guard,
                                       seL4_CapInitThreadVSpace, 0),
                     "make the new CNode the loader's CSpace root");
    if (!done)
        return done;

    // Now in the new CSpace. The old CNode still holds the originals of the TCB, VSpace, new
    // CNode and its own capability; delete them, then the last capability to it, which destroys
    // it. The new CNode's original capability goes too: slot 2 holds the one in use. The copy of
    // the old CNode's capability kept its guard, so it too resolves whole words.
    const seL4_Word leftovers[] = {seL4_CapInitThreadTCB, seL4_CapInitThreadVSpace, cnode,
                                   seL4_CapInitThreadCNode};
    for (const seL4_Word slot : leftovers)
        if (done)
            done = check(seL4_CNode_Delete(old_copy, slot, RootDepth),
                         "delete a capability left in the old root CNode");
    if (done)
        done = check(seL4_CNode_Delete(seL4_CapInitThreadCNode, old_copy, RootDepth),
                     "destroy the old root CNode");
    if (!done)
        return done;
    (void)objects.slots().free(CPtr{cnode});
    (void)objects.slots().free(CPtr{old_copy});
    return objects.slots().grow(seL4_Word{1} << new_bits);
}

} // namespace tessera::loader
