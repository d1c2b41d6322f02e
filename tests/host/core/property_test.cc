// Randomised property tests: seeded, reproducible sequences of retype, copy, mint, move, mutate,
// rotate, delete and revoke (with random preemption) on a small world. After every operation the
// derivation tree must be consistent, no two live objects may overlap, every object must lie in
// the root untyped's subtree and used range, a rejected call must change nothing, and a completed
// revoke must leave no descendant. At the end, revoking the root untyped gives all memory back.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "cap/cap_region.h"
#include "cdt/cap_relations.h"
#include "cdt/delete.h"
#include "cnode/lookup.h"
#include "core_world.h"

namespace tessera::core {
namespace {

using test::CoreWorld;

constexpr unsigned UntypedBits = 16;
constexpr Word FirstSlot = 3;
constexpr Word LastSlot = 40; // few slots, so operations collide often
constexpr Word SpareSlot = 255;

struct Address {
    Word cptr;
    Word depth;
};

class RandomWorld {
public:
    explicit RandomWorld(uint64_t seed) : world_(UntypedBits), rng_(seed) {}

    void run(int operations)
    {
        for (int i = 0; i < operations && !::testing::Test::HasFailure(); ++i) {
            step();
            check_invariants();
        }
        if (!::testing::Test::HasFailure())
            check_memory_comes_back();
    }

private:
    Word below(Word n) { return std::uniform_int_distribution<Word>(0, n - 1)(rng_); }
    bool chance(unsigned percent) { return below(100) < percent; }

    Address pick_address()
    {
        Word index = FirstSlot + below(LastSlot - FirstSlot + 1);
        Cap cap = world_.slot(index).cap;
        if (cap.type() == CapType::CNode && chance(30)) {
            CNodeCap node{cap};
            if (node.guard_size() == 0 && node.radix() <= 4)
                return {(index << node.radix()) | below(bit(node.radix())),
                        CoreWorld::RootRadix + node.radix()};
        }
        return {index, CoreWorld::RootRadix};
    }
    Slot* resolve(Address a)
    {
        auto r =
            resolve_address_bits(world_.ctx, world_.root().cap(), CPtr{a.cptr}, Depth{a.depth});
        return r && r.value().bits_remaining == 0 ? r.value().slot : nullptr;
    }
    bool is_root_untyped(const Slot* slot) const
    {
        if (slot == nullptr || slot->cap.type() != CapType::Untyped)
            return false;
        UntypedCap u{slot->cap};
        return u.base() == world_.untyped_base() && u.size_bits() == SizeBits{UntypedBits} &&
               slot->mdb.prev() == nullptr;
    }
    Slot* root_untyped()
    {
        for (Word i = 0; i < bit(CoreWorld::RootRadix); ++i)
            if (is_root_untyped(&world_.slot(i)))
                return &world_.slot(i);
        return nullptr;
    }

    // Runs one invocation to completion the way the kernel restarts preempted calls.
    template <class F> Result<Progress> complete(F call)
    {
        world_.preemption.budget = chance(30) ? static_cast<long>(below(4)) : -1;
        for (int round = 0;; ++round) {
            Result<Progress> r = call();
            if (!r || r.value() == Progress::Done) {
                world_.preemption.budget = -1;
                return r;
            }
            EXPECT_LT(round, 100000) << "preempted operation never finished";
            if (round >= 100000)
                return r;
            world_.preemption.budget = static_cast<long>(below(6));
        }
    }

    Result<Progress> op(CNodeMethod method, Address dest, std::initializer_list<Word> rest,
                        std::initializer_list<Slot*> extra)
    {
        std::vector<Word> words{dest.cptr, dest.depth};
        words.insert(words.end(), rest);
        std::vector<Slot*> caps(extra);
        return complete([&] {
            return invoke_cnode(world_.ctx, method,
                                Invocation{words.data(), words.size(), caps.data(), caps.size()},
                                world_.root(), nullptr);
        });
    }

    void step()
    {
        Slot* root = world_.root_slot();
        Address dest = pick_address();
        Address src = pick_address();
        Word rights = below(16);
        Word data = chance(50) ? below(4) : 0;
        world_.snapshot_into(before_);
        Result<Progress> result = Progress::Done;
        Slot* revoked = nullptr;

        switch (below(10)) {
        case 0:
        case 1: {
            static constexpr Word types[] = {seL4_UntypedObject,       seL4_TCBObject,
                                             seL4_EndpointObject,      seL4_NotificationObject,
                                             seL4_CapTableObject,      seL4_X86_4K,
                                             seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject,
                                             seL4_X86_PDPTObject,      seL4_X64_PML4Object};
            Word type = types[below(std::size(types))];
            Word size = type == seL4_UntypedObject    ? 4 + below(9)
                        : type == seL4_CapTableObject ? 1 + below(3)
                                                      : 0;
            Slot* untyped = nullptr;
            for (int tries = 0; tries < 8 && untyped == nullptr; ++tries) {
                Slot* s = resolve(pick_address());
                if (s && s->cap.type() == CapType::Untyped)
                    untyped = s;
            }
            if (untyped == nullptr)
                untyped = root_untyped();
            if (untyped == nullptr)
                return;
            Word words[] = {type,
                            size,
                            dest.cptr,
                            chance(20) ? dest.depth : 0,
                            FirstSlot + below(LastSlot - FirstSlot),
                            1 + below(4)};
            Slot* extra[] = {root};
            result = complete([&] {
                return invoke_untyped_retype(world_.ctx, Invocation{words, 6, extra, 1}, *untyped);
            });
            break;
        }
        case 2:
            result = op(CNodeMethod::Copy, dest, {src.cptr, src.depth, rights}, {root});
            break;
        case 3:
            result = op(CNodeMethod::Mint, dest, {src.cptr, src.depth, rights, data}, {root});
            break;
        case 4:
            if (is_root_untyped(resolve(src)))
                return;
            result = op(CNodeMethod::Move, dest, {src.cptr, src.depth}, {root});
            break;
        case 5:
            if (is_root_untyped(resolve(src)))
                return;
            result = op(CNodeMethod::Mutate, dest, {src.cptr, src.depth, data << 6 | data}, {root});
            break;
        case 6: {
            Address pivot = pick_address();
            if (is_root_untyped(resolve(src)) || is_root_untyped(resolve(pivot)))
                return;
            result = op(CNodeMethod::Rotate, dest,
                        {0, pivot.cptr, pivot.depth, 0, src.cptr, src.depth}, {root, root});
            break;
        }
        case 7:
            if (is_root_untyped(resolve(dest)))
                return;
            result = op(CNodeMethod::Delete, dest, {}, {});
            break;
        case 8:
            revoked = resolve(dest);
            result = op(CNodeMethod::Revoke, dest, {}, {});
            break;
        case 9: {
            // Scribble on a frame so that reuse without clearing would show.
            Slot* s = resolve(dest);
            if (s && s->cap.type() == CapType::Frame)
                world_.at<Word>(FrameCap{s->cap}.object())[below(512)] = rng_() | 1;
            return;
        }
        }

        if (!result) {
            EXPECT_TRUE(world_.matches(before_)) << "rejected call changed memory";
            return;
        }
        if (revoked != nullptr)
            check_revoked(*revoked);
    }

    // Every slot reachable from the root CNode through CNode, TCB and zombie caps and tree links.
    std::vector<Slot*> live_slots()
    {
        std::vector<bool> seen(memory_slots(), false);
        std::vector<Slot*> order, work;
        auto add = [&](Slot* s) {
            if (s != nullptr && !world_.contains(world_.ctx.window.physical(s))) {
                ADD_FAILURE() << "link points outside memory";
                return;
            }
            if (s != nullptr && !seen[slot_number(s)]) {
                seen[slot_number(s)] = true;
                order.push_back(s);
                work.push_back(s);
            }
        };
        auto add_range = [&](PAddr base, Word count) {
            EXPECT_TRUE(world_.contains(base)) << "object outside memory";
            if (!world_.contains(base))
                return;
            for (Word i = 0; i < count; ++i)
                add(world_.at<Slot>(base) + i);
        };
        add_range(world_.root().object(), bit(CoreWorld::RootRadix));
        while (!work.empty()) {
            Slot* s = work.back();
            work.pop_back();
            if (!s->is_empty()) {
                EXPECT_TRUE(world_.contains(world_.ctx.window.physical(s)));
            }
            switch (s->cap.type()) {
            case CapType::CNode:
                add_range(CNodeCap{s->cap}.object(), bit(CNodeCap{s->cap}.radix()));
                break;
            case CapType::Tcb:
                add_range(TcbCap{s->cap}.object(), TcbSlotCount);
                break;
            case CapType::Zombie: {
                ZombieCap z{s->cap};
                add_range(z.slots(), z.is_tcb() ? TcbSlotCount : bit(z.zombie_type()));
                break;
            }
            default:
                break;
            }
            add(s->mdb.prev());
            add(s->mdb.next());
        }
        return order;
    }

    Word memory_slots() const
    {
        return (world_.untyped_base().raw() - CoreWorld::PhysBase + bit(UntypedBits)) >> 5;
    }
    Word slot_number(Slot* s) const
    {
        return (world_.ctx.window.physical(s).raw() - CoreWorld::PhysBase) >> 5;
    }

    void check_invariants()
    {
        std::vector<Slot*> slots = live_slots();
        std::vector<bool> in_lists(memory_slots(), false);
        for (Slot* s : slots) {
            if (s->is_empty()) {
                ASSERT_TRUE(s->mdb.is_empty()) << "empty slot still linked";
                continue;
            }
            if (Slot* n = s->mdb.next()) {
                ASSERT_EQ(n->mdb.prev(), s) << "next/prev disagree";
                ASSERT_FALSE(n->is_empty()) << "list reaches an empty slot";
            }
            if (Slot* p = s->mdb.prev()) {
                ASSERT_EQ(p->mdb.next(), s) << "prev/next disagree";
            }
            if (s->mdb.prev() == nullptr) {
                size_t length = 0;
                for (Slot* x = s; x != nullptr; x = x->mdb.next()) {
                    ASSERT_FALSE(in_lists[slot_number(x)]) << "slot in two lists or a cycle";
                    in_lists[slot_number(x)] = true;
                    ASSERT_LE(++length, slots.size());
                }
            }
        }
        for (Slot* s : slots) {
            if (!s->is_empty()) {
                ASSERT_TRUE(in_lists[slot_number(s)]) << "slot not reachable from a list head";
            }
        }

        // Distinct live objects never overlap.
        std::vector<Region> objects;
        for (Slot* s : slots)
            if (is_physical(s->cap) && s->cap.type() != CapType::Untyped)
                objects.push_back(region_of(s->cap));
        std::sort(objects.begin(), objects.end(), [](const Region& a, const Region& b) {
            return a.base < b.base || (a.base == b.base && a.size_bits < b.size_bits);
        });
        objects.erase(std::unique(objects.begin(), objects.end()), objects.end());
        for (size_t i = 1; i < objects.size(); ++i)
            ASSERT_FALSE(objects[i - 1].overlaps(objects[i]))
                << "objects overlap at " << std::hex << objects[i].base.raw();

        // Everything made from the root untyped is in its subtree and below its watermark.
        Slot* root = root_untyped();
        ASSERT_NE(root, nullptr) << "root untyped lost";
        UntypedCap ru{root->cap};
        std::vector<bool> descendants(memory_slots(), false);
        for (Slot* x = root->mdb.next(); x != nullptr && is_mdb_parent_of(*root, *x);
             x = x->mdb.next())
            descendants[slot_number(x)] = true;
        Region used{ru.base(), ru.size_bits()};
        for (Slot* s : slots) {
            if (s == root || !is_physical(s->cap))
                continue;
            Region r = region_of(s->cap);
            if (!used.overlaps(r)) {
                // Only the boot-time root CNode lives outside the untyped.
                ASSERT_EQ(r.base, world_.root().object());
                continue;
            }
            ASSERT_TRUE(used.contains(r));
            ASSERT_TRUE(descendants[slot_number(s)]) << "object outside the root untyped's subtree";
            ASSERT_LT(r.last(), ru.base().raw() + ru.free_offset()) << "object above the watermark";
        }
    }

    // After a completed revoke, nothing derived from the slot survives anywhere.
    void check_revoked(Slot& slot)
    {
        if (slot.is_empty())
            return;
        Slot* next = slot.mdb.next();
        ASSERT_TRUE(next == nullptr || !is_mdb_parent_of(slot, *next)) << "revoke left a child";
        if (slot.cap.type() != CapType::Untyped)
            return;
        Region region = region_of(slot.cap);
        for (Slot* s : live_slots()) {
            if (s == &slot || !is_physical(s->cap))
                continue;
            Region r = region_of(s->cap);
            bool inside = region.contains(r) && !(s->cap.type() == CapType::Untyped && r == region);
            ASSERT_FALSE(inside) << "a capability outlived its revoked untyped";
        }
    }

    void check_memory_comes_back()
    {
        Slot* root = root_untyped();
        ASSERT_NE(root, nullptr);
        auto done = complete([&] { return Result<Progress>(revoke_cap(world_.ctx, *root)); });
        ASSERT_TRUE(done);
        ASSERT_TRUE(root->mdb.next() == nullptr || !is_mdb_parent_of(*root, *root->mdb.next()));
        Word words[] = {seL4_UntypedObject, UntypedBits, 0, 0, SpareSlot, 1};
        Slot* extra[] = {world_.root_slot()};
        auto r = complete([&] {
            return invoke_untyped_retype(world_.ctx, Invocation{words, 6, extra, 1}, *root);
        });
        ASSERT_TRUE(r) << "memory did not come back";
        EXPECT_EQ(UntypedCap{world_.slot(SpareSlot).cap}.base(), world_.untyped_base());
        const Word* memory = world_.at<Word>(world_.untyped_base());
        for (Word i = 0; i < bit(UntypedBits) / sizeof(Word); ++i)
            ASSERT_EQ(memory[i], 0u) << "reset left data at word " << i;
    }

    CoreWorld world_;
    std::mt19937_64 rng_;
    std::vector<unsigned char> before_;
};

void run_seeds(uint64_t first, uint64_t count, int operations)
{
    for (uint64_t seed = first; seed < first + count; ++seed) {
        SCOPED_TRACE(::testing::Message() << "seed " << seed);
        RandomWorld(seed).run(operations);
        if (::testing::Test::HasFailure())
            return;
    }
}

TEST(CoreProperties, ShortSequencesSeeds0To999)
{
    run_seeds(0, 1000, 40);
}
TEST(CoreProperties, ShortSequencesSeeds1000To1999)
{
    run_seeds(1000, 1000, 40);
}
TEST(CoreProperties, LongSequencesSeeds5000To5299)
{
    run_seeds(5000, 300, 300);
}
TEST(CoreProperties, LongSequencesSeeds6000To6299)
{
    run_seeds(6000, 300, 300);
}

} // namespace
} // namespace tessera::core
