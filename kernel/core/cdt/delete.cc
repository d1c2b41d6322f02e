// Finalisation, zombies and revocation, following seL4's cnode.c step for step: the order of
// operations is observable (which slots are empty after a preempted delete), so it is kept.

#include "cdt/delete.h"

#include "cap/cap_kinds.h"
#include "cdt/arch_finalise.h"
#include "cdt/cap_relations.h"
#include "cdt/cdt.h"
#include "cdt/object_hooks.h"

namespace tessera::core {

namespace {

// Whether deletion must finish now (an exposed slot a user named) or may leave a cyclic zombie
// for its owner to finish (a slot inside an object being destroyed).
enum class Exposure { Immediate, Deferred };

struct FinaliseCapResult {
    Cap remainder; // null, or a zombie still to be reduced
    Cap cleanup;   // passed to post_cap_deletion once the slot is empty
};

struct FinaliseSlotResult {
    Progress progress;
    bool success; // the slot may be emptied now
    Cap cleanup;
};

Progress delete_slot(CoreContext& ctx, Slot& slot, Exposure exposure);

FinaliseCapResult finalise_cap(CoreContext& ctx, Cap cap, Finality finality)
{
    bool final = finality == Finality::Final;
    switch (cap.type()) {
    case CapType::Null:
    case CapType::Untyped:
    case CapType::IrqControl:
    case CapType::Domain:
    case CapType::Reply:
        return {};
    case CapType::CNode:
        if (!final)
            return {};
        {
            CNodeCap c{cap};
            return {ZombieCap::make(c.object(), c.radix(), bit(c.radix())).cap(), Cap{}};
        }
    case CapType::Tcb:
        if (!final)
            return {};
        ctx.hooks.finalise(cap, finality);
        return {ZombieCap::make(TcbCap{cap}.object(), ZombieCap::TcbZombie, TcbSlotCount).cap(),
                Cap{}};
    case CapType::Zombie:
        return {cap, Cap{}};
    case CapType::IrqHandler:
        if (!final)
            return {};
        ctx.hooks.finalise(cap, finality);
        return {Cap{}, cap};
    case CapType::Endpoint:
    case CapType::Notification:
        // Only the last one matters (it cancels every waiting thread).
        if (final)
            ctx.hooks.finalise(cap, finality);
        return {};
    default:
        // Every other kind is the architecture's, and none becomes a zombie.
        return {Cap{}, arch_finalise_cap(ctx, cap, finality)};
    }
}

Slot* slot_at(CoreContext& ctx, PAddr slots, Word index)
{
    return ctx.window.at<Slot>(slots) + index;
}

bool is_zombie_of(CoreContext& ctx, Cap cap, const Slot& slot)
{
    return cap.type() == CapType::Zombie && ctx.window.at<Slot>(ZombieCap{cap}.slots()) == &slot;
}

bool is_removable(CoreContext& ctx, Cap cap, const Slot& slot)
{
    if (cap.is_null())
        return true;
    ZombieCap z{cap};
    return z.number() == 0 || (z.number() == 1 && is_zombie_of(ctx, cap, slot));
}

void empty_slot(CoreContext& ctx, Slot& slot, Cap cleanup)
{
    if (slot.is_empty())
        return;
    unlink_slot(slot);
    if (!cleanup.is_null())
        ctx.hooks.post_cap_deletion(cleanup);
}

// Exchanges two slots' capabilities and tree positions (seL4 capSwapForDelete).
void swap_for_delete(Slot& a, Slot& b)
{
    if (&a == &b)
        return;
    Cap cap_a = a.cap;
    Cap cap_b = b.cap;
    a.cap = cap_b;
    b.cap = cap_a;
    MdbNode node_a = a.mdb;
    if (Slot* p = node_a.prev())
        p->mdb.set_next(&b);
    if (Slot* n = node_a.next())
        n->mdb.set_prev(&b);
    MdbNode node_b = b.mdb;
    a.mdb = node_b;
    b.mdb = node_a;
    if (Slot* p = node_b.prev())
        p->mdb.set_next(&a);
    if (Slot* n = node_b.next())
        n->mdb.set_prev(&a);
}

Progress reduce_zombie(CoreContext& ctx, Slot& slot, Exposure exposure)
{
    ZombieCap zombie{slot.cap};
    PAddr slots = zombie.slots();
    Word n = zombie.number();
    Word type = zombie.zombie_type();

    if (exposure == Exposure::Immediate) {
        Slot& end = *slot_at(ctx, slots, n - 1);
        if (delete_slot(ctx, end, Exposure::Deferred) == Progress::Preempted)
            return Progress::Preempted;
        // The recursive delete may have swapped a cyclic zombie into this slot; only shrink
        // the zombie if it is still the one we started with.
        if (slot.cap.type() == CapType::Zombie) {
            ZombieCap now{slot.cap};
            if (now.slots() == slots && now.number() == n && now.zombie_type() == type)
                slot.cap = now.with_number(n - 1).cap();
        }
    } else {
        // A zombie found inside another dying object: move it into its own first slot, where
        // it becomes cyclic and finishes when that slot is cleared.
        swap_for_delete(*slot_at(ctx, slots, 0), slot);
    }
    return Progress::Done;
}

FinaliseSlotResult finalise_slot(CoreContext& ctx, Slot& slot, Exposure exposure)
{
    while (!slot.is_empty()) {
        Finality finality = is_final_capability(slot) ? Finality::Final : Finality::NotFinal;
        FinaliseCapResult fc = finalise_cap(ctx, slot.cap, finality);

        if (is_removable(ctx, fc.remainder, slot))
            return {Progress::Done, true, fc.cleanup};

        slot.cap = fc.remainder;
        if (exposure == Exposure::Deferred && is_zombie_of(ctx, fc.remainder, slot))
            return {Progress::Done, false, fc.cleanup};

        if (reduce_zombie(ctx, slot, exposure) == Progress::Preempted)
            return {Progress::Preempted, false, Cap{}};
        if (ctx.preemption.is_pending())
            return {Progress::Preempted, false, Cap{}};
    }
    return {Progress::Done, true, Cap{}};
}

Progress delete_slot(CoreContext& ctx, Slot& slot, Exposure exposure)
{
    FinaliseSlotResult fs = finalise_slot(ctx, slot, exposure);
    if (fs.progress == Progress::Preempted)
        return Progress::Preempted;
    if (exposure == Exposure::Immediate || fs.success)
        empty_slot(ctx, slot, fs.cleanup);
    return Progress::Done;
}

} // namespace

Progress delete_cap(CoreContext& ctx, Slot& slot)
{
    return delete_slot(ctx, slot, Exposure::Immediate);
}

Progress revoke_cap(CoreContext& ctx, Slot& slot)
{
    // Children follow their parent directly in the list, so deleting the next slot until it is
    // no longer a child removes the whole subtree; progress is the shrinking list itself.
    for (Slot* next = slot.mdb.next(); next != nullptr && is_mdb_parent_of(slot, *next);
         next = slot.mdb.next()) {
        if (delete_cap(ctx, *next) == Progress::Preempted)
            return Progress::Preempted;
        if (ctx.preemption.is_pending())
            return Progress::Preempted;
    }
    return Progress::Done;
}

void delete_one(CoreContext& ctx, Slot& slot)
{
    if (slot.is_empty())
        return;
    // A reply capability finalises nothing (its thread lives on): the IPC paths drop one per
    // reply, so it skips the finality walk.
    if (slot.cap.type() == CapType::Reply) {
        empty_slot(ctx, slot, Cap{});
        return;
    }
    Finality finality = is_final_capability(slot) ? Finality::Final : Finality::NotFinal;
    FinaliseCapResult fc = finalise_cap(ctx, slot.cap, finality);
    // Only immediate kinds reach here; their remainder is null and they leave no cleanup.
    (void)fc;
    empty_slot(ctx, slot, Cap{});
}

} // namespace tessera::core
