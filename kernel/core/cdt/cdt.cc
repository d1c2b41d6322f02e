// List surgery for the derivation tree. Nothing here can fail; asserting preconditions is the
// decode layer's job.

#include "cdt/cdt.h"

#include "cap/cap_kinds.h"
#include "cdt/cap_relations.h"

namespace tessera::core {

namespace {

void set_untyped_full_if_same_block(Cap source, Cap derived, Slot& src)
{
    if (source.type() != CapType::Untyped || derived.type() != CapType::Untyped)
        return;
    UntypedCap s{source}, d{derived};
    if (s.base() == d.base() && s.size_bits() == d.size_bits())
        src.cap = s.with_free_index(UntypedCap::max_free_index(s.size_bits())).cap();
}

// Points the neighbours of `node` (a copy of some slot's links) at `slot`.
void relink_neighbours(const MdbNode& node, Slot* slot)
{
    if (Slot* prev = node.prev())
        prev->mdb.set_next(slot);
    if (Slot* next = node.next())
        next->mdb.set_prev(slot);
}

} // namespace

void insert_derived(Cap cap, Slot& src, Slot& dest)
{
    bool revocable = is_cap_revocable(cap, src.cap);
    MdbNode node = src.mdb; // keeps src's next; flags are replaced below
    node.set_prev(&src);
    node.set_revocable(revocable);
    node.set_first_badged(revocable);

    set_untyped_full_if_same_block(src.cap, cap, src);

    dest.cap = cap;
    dest.mdb = node;
    src.mdb.set_next(&dest);
    if (Slot* next = node.next())
        next->mdb.set_prev(&dest);
}

void insert_new_cap(Slot& parent, Slot& slot, Cap cap) { insert_after(parent, slot, cap, true); }

void insert_root_cap(Slot& slot, Cap cap)
{
    slot.cap = cap;
    slot.mdb = MdbNode{};
    slot.mdb.set_revocable(true);
    slot.mdb.set_first_badged(true);
}

void move_cap(Cap cap, Slot& src, Slot& dest)
{
    MdbNode node = src.mdb;
    dest.cap = cap;
    src.cap = Cap{};
    dest.mdb = node;
    src.mdb = MdbNode{};
    relink_neighbours(node, &dest);
}

void swap_caps(Cap cap1, Slot& slot1, Cap cap2, Slot& slot2)
{
    slot1.cap = cap2;
    slot2.cap = cap1;

    MdbNode node1 = slot1.mdb;
    relink_neighbours(node1, &slot2);
    MdbNode node2 = slot2.mdb;
    slot1.mdb = node2;
    slot2.mdb = node1;
    relink_neighbours(node2, &slot1);
}

} // namespace tessera::core
