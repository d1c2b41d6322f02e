// The world the fuzzer attacks: one CNode W of 256 slots filled from a seed with objects of every
// type, all made from one untyped U. Nothing the fuzzer itself needs is reachable from W, so
// no operation on W can hurt the fuzzer; revoking U destroys the whole world at once, and the
// next run builds a fresh one. The control thread's CSpace root is a two-slot CNode T:
// cptrs with the top bit clear resolve in the root CNode as before, those with it set in W.
#pragma once

#include <sel4/sel4.h>
#include <stdint.h>

namespace fuzz {

constexpr unsigned WorldBits = 8;
constexpr seL4_Word WorldSlots = seL4_Word{1} << WorldBits;
constexpr seL4_Word WorldBit = seL4_Word{1} << 63;
// Slot 1 of W holds W itself (guard 0): the CNode the world's own CNode invocations name.
constexpr seL4_Word WorldSelfSlot = 1;
constexpr unsigned WorkerCount = 3;
constexpr seL4_Word PageBytes = seL4_Word{1} << seL4_PageBits;

// A world slot as the control thread and the workers address it.
constexpr seL4_CPtr world_cptr(seL4_Word slot) { return WorldBit | slot; }

// What a slot held when the world was built; operations aim at slots by this, but never trust
// it: the fuzz moves, copies and deletes capabilities all the time.
enum class Kind : uint8_t {
    Empty, Untyped, CNode, Endpoint, Notification, Tcb, Frame, PageTable, PageDirectory, Pdpt,
    Pml4, AsidPool, AsidControl, Count
};
const char* kind_name(Kind kind);

struct Layout {
    Kind kind[WorldSlots];
    uint8_t cnode_depth[WorldSlots]; // guard + radix of a CNode capability, for CNode addressing
    // Slots holding each kind, for aiming at a kind.
    uint8_t of_kind[unsigned(Kind::Count)][WorldSlots];
    unsigned count[unsigned(Kind::Count)];
    unsigned empty_slots;

    // A slot that held `kind`, or any slot when there is none.
    seL4_Word pick(Kind kind, seL4_Word random) const;
};

// What persists across runs: root CNode slots and objects the fuzzer owns.
struct Environment {
    seL4_CPtr untyped;              // U: every world object is made from it
    seL4_CPtr top_cnode;            // T: the control thread's CSpace root
    seL4_CPtr world_cnode;          // W's original capability (made again each run)
    seL4_CPtr worker_cspace[WorkerCount]; // each worker's CSpace root (made again each run)
    seL4_CPtr worker_go[WorkerCount];     // notifications that start a worker's turn
    seL4_CPtr worker_tcb[WorkerCount];
};

// Creates the persistent objects and makes T the control thread's CSpace root; false (after
// printing why) if that fails.
bool set_up_environment(Environment& env, const seL4_BootInfo* boot_info);

// Destroys the previous world (if any) and builds the one `seed` describes; false (after
// printing why) if a step that cannot fail in a healthy kernel fails.
bool build_world(const Environment& env, seL4_Word seed, Layout& layout);

} // namespace fuzz
