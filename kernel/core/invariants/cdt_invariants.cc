// Derivation-tree invariants. The tree is seL4's pre-order list: a capability's descendants are
// the slots right after it for which is_mdb_parent_of holds, so walking a list with a stack of
// open untypeds finds each capability's nearest untyped ancestor. Deleting a capability leaves
// its children in place, so a list may hold unrelated subtrees one after another.

#include "cap/cap_kinds.h"
#include "cap/cap_region.h"
#include "cdt/cap_relations.h"
#include "invariants/invariant_checks.h"

namespace tessera::core {

namespace {

class TreeChecker {
public:
    TreeChecker(const CoreContext& ctx, const InvariantWorkspace& workspace,
                InvariantReport& report)
        : ctx_(ctx), slots_(workspace.slots), workspace_(workspace), report_(report)
    {
    }

    void check()
    {
        for (size_t i = 0; i < slots_.size() && report_.holds(); ++i)
            check_links(*slots_.at(i));
        if (report_.holds())
            check_no_cycle();
        for (size_t i = 0; i < slots_.size() && report_.holds(); ++i) {
            const Slot& slot = *slots_.at(i);
            if (!slot.is_empty() && slot.mdb.prev() == nullptr)
                check_list(slot);
        }
        for (size_t i = 0; i < workspace_.physical_count && report_.holds(); ++i)
            if (workspace_.physical[i]->cap.type() == CapType::Untyped)
                check_contents_derived(*workspace_.physical[i]);
    }

private:
    static constexpr size_t MaxUntypedDepth = 64;

    Word at(const Slot* slot) const { return physical_of(ctx_, slot); }
    const char* kind(const Slot& slot) const { return cap_type_name(slot.cap.type()); }

    void check_links(const Slot& slot)
    {
        const Slot* prev = slot.mdb.prev();
        const Slot* next = slot.mdb.next();
        if (slot.is_empty()) {
            if (!slot.mdb.is_empty())
                report_.fail("cdt: slot %#lx is empty but still linked (prev %#lx, next %#lx)",
                             at(&slot), prev ? at(prev) : 0, next ? at(next) : 0);
            return;
        }
        if (next != nullptr && next->mdb.prev() != &slot)
            report_.fail("cdt: slot %#lx (%s): next slot %#lx links back to %#lx", at(&slot),
                         kind(slot), at(next), next->mdb.prev() ? at(next->mdb.prev()) : 0);
        else if (prev != nullptr && prev->mdb.next() != &slot)
            report_.fail("cdt: slot %#lx (%s): previous slot %#lx links forward to %#lx", at(&slot),
                         kind(slot), at(prev), prev->mdb.next() ? at(prev->mdb.next()) : 0);
    }

    // With links agreeing, lists from a first slot cannot loop; a cycle has no first slot, so
    // its members are the non-empty slots no list reaches.
    void check_no_cycle()
    {
        size_t linked = 0, reached = 0;
        for (size_t i = 0; i < slots_.size(); ++i) {
            const Slot* slot = slots_.at(i);
            if (slot->is_empty())
                continue;
            ++linked;
            if (slot->mdb.prev() != nullptr)
                continue;
            for (; slot != nullptr && reached <= slots_.size(); slot = slot->mdb.next())
                ++reached;
        }
        if (reached == linked)
            return;
        for (size_t i = 0; i < slots_.size(); ++i) {
            const Slot* slot = slots_.at(i);
            if (slot->is_empty() || reaches_first(*slot))
                continue;
            report_.fail("cdt: slot %#lx (%s) is on a derivation list that loops (no first slot)",
                         at(slot), kind(*slot));
            return;
        }
    }

    bool reaches_first(const Slot& slot) const
    {
        const Slot* walk = &slot;
        for (size_t steps = 0; steps <= slots_.size(); ++steps, walk = walk->mdb.prev())
            if (walk->mdb.prev() == nullptr)
                return true;
        return false;
    }

    // One list from its first slot, keeping the chain of untyped ancestors of the current slot.
    void check_list(const Slot& first)
    {
        const Slot* untypeds[MaxUntypedDepth];
        size_t depth = 0;
        for (const Slot* slot = &first; slot != nullptr && report_.holds();
             slot = slot->mdb.next()) {
            while (depth > 0 && !is_mdb_parent_of(*untypeds[depth - 1], *slot))
                --depth;
            if (depth > 0)
                check_below_free_index(*untypeds[depth - 1], *slot);
            if (slot->cap.type() != CapType::Untyped || report_.is_broken())
                continue;
            check_free_index_bound(*slot);
            if (depth == MaxUntypedDepth) {
                report_.fail("checker: untyped slot %#lx is nested more than %zu deep", at(slot),
                             MaxUntypedDepth);
                return;
            }
            untypeds[depth++] = slot;
        }
    }

    // seL4's untyped_mdb: whatever lies in an untyped's memory was made from it, so a reset
    // (which only looks at descendants) cannot overwrite a live object. Untypeds covering this
    // one are its ancestors or copies, and a copy whose parent was deleted stays a sibling.
    void check_contents_derived(const Slot& untyped)
    {
        Region range = region_of(untyped.cap);
        for (size_t i = 0; i < workspace_.physical_count && report_.holds(); ++i) {
            const Slot& other = *workspace_.physical[i];
            // Partial overlaps are the overlap check's to report.
            if (&other == &untyped ||
                !range.contains(region_of(other.cap)))
                continue;
            if (other.cap.type() == CapType::Untyped && region_of(other.cap).contains(range))
                continue;
            if (!is_descendant(untyped, other))
                report_.fail("cdt: slot %#lx (%s at %#lx) lies in untyped slot %#lx (2^%u bytes "
                             "at %#lx) but is not derived from it",
                             at(&other), kind(other), region_of(other.cap).base.raw(), at(&untyped),
                             range.size_bits.raw(), range.base.raw());
        }
    }

    // Descendants are the run of slots right after `ancestor` that it parents (pre-order).
    bool is_descendant(const Slot& ancestor, const Slot& slot) const
    {
        for (const Slot* walk = ancestor.mdb.next();
             walk != nullptr && is_mdb_parent_of(ancestor, *walk); walk = walk->mdb.next())
            if (walk == &slot)
                return true;
        return false;
    }

    void check_free_index_bound(const Slot& slot)
    {
        UntypedCap untyped{slot.cap};
        Word limit = UntypedCap::max_free_index(untyped.size_bits());
        if (untyped.free_index() > limit)
            report_.fail("cdt: untyped slot %#lx (2^%u bytes at %#lx): free index %lu beyond its "
                         "block (at most %lu)",
                         at(&slot), untyped.size_bits().raw(), untyped.base().raw(),
                         untyped.free_index(), limit);
    }

    void check_below_free_index(const Slot& parent, const Slot& child)
    {
        if (!is_physical(child.cap))
            return;
        UntypedCap untyped{parent.cap};
        Word child_end = region_of(child.cap).last() + 1 - untyped.base().raw();
        if (child_end > untyped.free_offset())
            report_.fail("cdt: untyped slot %#lx: free index %lu (offset %#lx) is below the end "
                         "of its child in slot %#lx (%s, ends at offset %#lx)",
                         at(&parent), untyped.free_index(), untyped.free_offset(), at(&child),
                         kind(child), child_end);
    }

    const CoreContext& ctx_;
    const PointerSet<Slot, InvariantWorkspace::MaxSlots>& slots_;
    const InvariantWorkspace& workspace_;
    InvariantReport& report_;
};

} // namespace

void check_derivation_tree(const CoreContext& ctx, const InvariantWorkspace& workspace,
                           InvariantReport& report)
{
    TreeChecker{ctx, workspace, report}.check();
}

} // namespace tessera::core
