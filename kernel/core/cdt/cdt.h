// The capability derivation tree: seL4's pre-order doubly linked list of slots. Insert, move and
// swap keep the list and its flags consistent; callers have checked everything beforehand.
#pragma once

#include "cap/cap.h"
#include "cap/slot.h"

namespace tessera::core {

// seL4 cteInsert: puts `cap` (derived from src's capability) into the empty `dest` as the child
// or sibling of `src`, right after it in the list. Marks a parent untyped full when `cap` is an
// untyped covering the same block, so the parent can no longer retype over the child.
void insert_derived(Cap cap, Slot& src, Slot& dest);
// seL4 insertNewCap: a freshly created object's capability, revocable child of `parent`.
void insert_new_cap(Slot& parent, Slot& slot, Cap cap);
// Links the empty `slot`, holding `cap`, right after `parent` with both flags set to `revocable`:
// insert_new_cap's link, and, unrevocable, what insert_derived does for a reply capability.
// Inline for the IPC fastpath.
inline void insert_after(Slot& parent, Slot& slot, Cap cap, bool revocable)
{
    Slot* next = parent.mdb.next();
    slot.cap = cap;
    slot.mdb = MdbNode{};
    slot.mdb.set_prev(&parent);
    slot.mdb.set_next(next);
    slot.mdb.set_revocable(revocable);
    slot.mdb.set_first_badged(revocable);
    if (next != nullptr)
        next->mdb.set_prev(&slot);
    parent.mdb.set_next(&slot);
}
// Takes the slot out of the list and empties it, finalising nothing; the next copy inherits the
// "first badged" mark so badge revocation still stops there. Inline for the IPC fastpath.
[[gnu::always_inline]] inline void unlink_slot(Slot& slot)
{
    const MdbNode node = slot.mdb;
    if (Slot* prev = node.prev())
        prev->mdb.set_next(node.next());
    if (Slot* next = node.next()) {
        next->mdb.set_prev(node.prev());
        next->mdb.set_first_badged(next->mdb.is_first_badged() || node.is_first_badged());
    }
    slot.cap = Cap{};
    slot.mdb = MdbNode{};
}
// A capability with no parent (boot-time caps, seL4 write_slot): revocable, first badged.
void insert_root_cap(Slot& slot, Cap cap);
// seL4 cteMove: `dest` (empty) takes src's place in the tree holding `cap`; `src` becomes empty.
void move_cap(Cap cap, Slot& src, Slot& dest);
// seL4 cteSwap: exchanges two slots' positions in the tree, storing cap1 in slot2 and
// cap2 in slot1.
void swap_caps(Cap cap1, Slot& slot1, Cap cap2, Slot& slot2);

} // namespace tessera::core
