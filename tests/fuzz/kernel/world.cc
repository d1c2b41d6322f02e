// Building the world from a seed. The order of every step, and so every object's place, depends
// only on the seed: a second run of a seed meets the same world.
#include "world.h"

#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/vspace.h>

#include "prng.h"

namespace fuzz {
namespace {

using tessera::libos::raw;
using tessera::libos::SizeBits;

constexpr seL4_Word UntypedBits = 23; // 8 MiB: room for a large page and every other object
// Where world address spaces map their paging structures: below 8 GiB, in PML4 slot 0.
constexpr seL4_Word WorldMapBase = seL4_Word{1} << 30;
// The root task's own VSpace range for its allocator (thread stacks, IPC buffers).
constexpr seL4_Word VSpaceBottom = 0x20000000000ull;
constexpr seL4_Word VSpaceTop = VSpaceBottom + 0x40000000;

seL4_Word cnode_data(seL4_Word guard, seL4_Word guard_bits)
{
    return seL4_CNode_CapData_new(guard, guard_bits).words[0];
}

bool ok(seL4_Error error, const char* what)
{
    if (error != seL4_NoError)
        printf("fuzz: world set-up: %s failed with error %d\n", what, int(error));
    return error == seL4_NoError;
}

class Builder {
public:
    Builder(const Environment& env, seL4_Word seed, Layout& layout)
        : env_(env), rng_(Prng::at(seed, 0xb0a7d)), layout_(layout)
    {
    }

    bool build()
    {
        for (seL4_Word slot = 0; slot < WorldSlots; ++slot) {
            layout_.kind[slot] = Kind::Empty;
            layout_.cnode_depth[slot] = 0;
        }
        if (!ok(seL4_CNode_Revoke(seL4_CapInitThreadCNode, env_.untyped, seL4_WordBits), "revoke of U") ||
            !ok(seL4_Untyped_Retype(env_.untyped, seL4_CapTableObject, WorldBits, seL4_CapInitThreadCNode, 0,
                                    0, env_.world_cnode, 1),
                "retype of W") ||
            !ok(seL4_CNode_Mint(env_.top_cnode, 1, 1, seL4_CapInitThreadCNode, env_.world_cnode, seL4_WordBits,
                                seL4_AllRights, cnode_data(0, seL4_WordBits - 1 - WorldBits)),
                "W into T") ||
            !ok(seL4_CNode_Copy(env_.world_cnode, WorldSelfSlot, WorldBits, seL4_CapInitThreadCNode,
                                env_.world_cnode, seL4_WordBits, seL4_AllRights),
                "W into W"))
            return false;
        layout_.kind[WorldSelfSlot] = Kind::CNode;
        layout_.cnode_depth[WorldSelfSlot] = WorldBits;

        make_objects();
        make_asid_pool();
        map_address_spaces();
        configure_victims();
        index();
        return connect_workers();
    }

private:
    // A free world slot other than 0 and W's own, chosen at random.
    seL4_Word free_slot()
    {
        for (;;) {
            seL4_Word slot = rng_.between(2, WorldSlots - 1);
            if (layout_.kind[slot] == Kind::Empty)
                return slot;
        }
    }

    seL4_Word make(Kind kind, seL4_Word type, seL4_Word size_bits = 0)
    {
        seL4_Word slot = free_slot();
        if (seL4_Untyped_Retype(env_.untyped, type, size_bits, env_.world_cnode, 0, 0, slot, 1) == seL4_NoError)
            layout_.kind[slot] = kind;
        return slot;
    }

    void make_many(unsigned low, unsigned high, Kind kind, seL4_Word type, seL4_Word* slots = nullptr)
    {
        unsigned count = unsigned(rng_.between(low, high));
        for (unsigned i = 0; i < count; ++i) {
            seL4_Word slot = make(kind, type);
            if (slots != nullptr)
                slots[i] = slot;
        }
    }

    void make_objects()
    {
        // Untypeds of several sizes for the fuzz to retype; the smallest fits one ASID pool.
        pool_untyped_ = make(Kind::Untyped, seL4_UntypedObject, seL4_ASIDPoolBits);
        for (int i = 0; i < 3; ++i)
            make(Kind::Untyped, seL4_UntypedObject, rng_.between(seL4_MinUntypedBits, 17));
        // CNodes of several radixes, and copies with guards of several sizes.
        for (int i = 0; i < 4; ++i) {
            seL4_Word radix = rng_.between(1, 6);
            seL4_Word slot = make(Kind::CNode, seL4_CapTableObject, radix);
            layout_.cnode_depth[slot] = uint8_t(radix);
            seL4_Word guard_bits = rng_.below(12), copy = free_slot();
            if (seL4_CNode_Mint(env_.world_cnode, copy, WorldBits, env_.world_cnode, slot, WorldBits,
                                seL4_AllRights, cnode_data(rng_.below(seL4_Word{1} << guard_bits), guard_bits)) ==
                seL4_NoError) {
                layout_.kind[copy] = Kind::CNode;
                layout_.cnode_depth[copy] = uint8_t(radix + guard_bits);
            }
        }
        make_many(4, 7, Kind::Endpoint, seL4_EndpointObject, endpoints_);
        make_many(3, 5, Kind::Notification, seL4_NotificationObject);
        for (auto& tcb : victims_)
            tcb = make(Kind::Tcb, seL4_TCBObject);
        for (auto& frame : frames_)
            frame = make(Kind::Frame, seL4_X86_4K);
        if (rng_.chance(50))
            make(Kind::Frame, seL4_X86_LargePageObject);
        for (int i = 0; i < 2; ++i) {
            pml4s_[i] = make(Kind::Pml4, seL4_X64_PML4Object);
            pdpts_[i] = make(Kind::Pdpt, seL4_X86_PDPTObject);
            pds_[i] = make(Kind::PageDirectory, seL4_X86_PageDirectoryObject);
            pts_[i] = make(Kind::PageTable, seL4_X86_PageTableObject);
        }
        make_many(1, 2, Kind::Pml4, seL4_X64_PML4Object);
        make_many(1, 2, Kind::PageTable, seL4_X86_PageTableObject);
        make_many(0, 1, Kind::PageDirectory, seL4_X86_PageDirectoryObject);
        make_many(0, 1, Kind::Pdpt, seL4_X86_PDPTObject);
    }

    void make_asid_pool()
    {
        seL4_Word control = free_slot();
        if (seL4_CNode_Copy(env_.world_cnode, control, WorldBits, seL4_CapInitThreadCNode, seL4_CapASIDControl,
                            seL4_WordBits, seL4_AllRights) == seL4_NoError)
            layout_.kind[control] = Kind::AsidControl;
        pool_ = free_slot();
        if (seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, world_cptr(pool_untyped_), env_.world_cnode, pool_,
                                          WorldBits) == seL4_NoError)
            layout_.kind[pool_] = Kind::AsidPool;
    }

    // Two address spaces with a page table each and a few frames mapped; the rest stay unmapped.
    void map_address_spaces()
    {
        for (int space = 0; space < 2; ++space) {
            seL4_CPtr pml4 = world_cptr(pml4s_[space]);
            bases_[space] = WorldMapBase * rng_.between(1, 7);
            (void)seL4_X86_ASIDPool_Assign(world_cptr(pool_), pml4);
            (void)seL4_X86_PDPT_Map(world_cptr(pdpts_[space]), pml4, bases_[space], seL4_X86_Default_VMAttributes);
            (void)seL4_X86_PageDirectory_Map(world_cptr(pds_[space]), pml4, bases_[space],
                                             seL4_X86_Default_VMAttributes);
            (void)seL4_X86_PageTable_Map(world_cptr(pts_[space]), pml4, bases_[space], seL4_X86_Default_VMAttributes);
        }
        for (unsigned i = 0; i < FrameCount; ++i) {
            if (rng_.chance(30))
                continue;
            unsigned space = i % 2;
            (void)seL4_X86_Page_Map(world_cptr(frames_[i]), world_cptr(pml4s_[space]),
                                    bases_[space] + (i / 2) * PageBytes,
                                    rng_.chance(80) ? seL4_ReadWrite : seL4_CanRead, seL4_X86_Default_VMAttributes);
        }
    }

    // Threads in the world's address spaces: they fault at once when they run, into a world
    // endpoint, and the fuzz may resume, suspend, bind or rewrite them.
    void configure_victims()
    {
        for (unsigned i = 0; i < VictimCount; ++i) {
            unsigned space = i % 2;
            seL4_Word buffer_frame = frames_[space];
            (void)seL4_TCB_Configure(world_cptr(victims_[i]), endpoints_[i % 4], world_cptr(WorldSelfSlot),
                                     cnode_data(0, seL4_WordBits - WorldBits), world_cptr(pml4s_[space]), 0,
                                     bases_[space], world_cptr(buffer_frame));
            if (rng_.chance(50)) {
                seL4_UserContext regs = {};
                regs.rip = bases_[space] + PageBytes * rng_.below(3);
                regs.rsp = bases_[space] + PageBytes;
                (void)seL4_TCB_WriteRegisters(world_cptr(victims_[i]), 1, 0, 2, &regs);
            }
        }
    }

    void index()
    {
        for (auto& count : layout_.count)
            count = 0;
        for (seL4_Word slot = 0; slot < WorldSlots; ++slot) {
            unsigned kind = unsigned(layout_.kind[slot]);
            layout_.of_kind[kind][layout_.count[kind]++] = uint8_t(slot);
        }
    }

    // Each worker's CSpace: slot 0 its start notification, slot 1 the world.
    bool connect_workers()
    {
        for (unsigned w = 0; w < WorkerCount; ++w) {
            seL4_CPtr cspace = env_.worker_cspace[w];
            if (!ok(seL4_Untyped_Retype(env_.untyped, seL4_CapTableObject, 1, seL4_CapInitThreadCNode, 0, 0, cspace, 1),
                    "worker CSpace") ||
                !ok(seL4_CNode_Copy(cspace, 0, 1, seL4_CapInitThreadCNode, env_.worker_go[w], seL4_WordBits,
                                    seL4_AllRights),
                    "worker start notification") ||
                !ok(seL4_CNode_Mint(cspace, 1, 1, seL4_CapInitThreadCNode, env_.world_cnode, seL4_WordBits,
                                    seL4_AllRights, cnode_data(0, seL4_WordBits - 1 - WorldBits)),
                    "W into a worker's CSpace") ||
                // A worker's faults go to a world endpoint, where other threads may receive them.
                !ok(seL4_TCB_SetSpace(env_.worker_tcb[w], world_cptr(layout_.pick(Kind::Endpoint, w)), cspace, 0,
                                      seL4_CapInitThreadVSpace, 0),
                    "worker SetSpace"))
                return false;
        }
        return true;
    }

    static constexpr unsigned VictimCount = 4;
    static constexpr unsigned FrameCount = 14;

    const Environment& env_;
    Prng rng_;
    Layout& layout_;
    seL4_Word pool_untyped_ = 0, pool_ = 0;
    seL4_Word endpoints_[8] = {};
    seL4_Word victims_[VictimCount] = {};
    seL4_Word frames_[FrameCount] = {};
    seL4_Word pml4s_[2] = {}, pdpts_[2] = {}, pds_[2] = {}, pts_[2] = {};
    seL4_Word bases_[2] = {};
};

} // namespace

const char* kind_name(Kind kind)
{
    static const char* const names[] = {"empty", "untyped", "cnode", "endpoint", "notification", "tcb",
                                        "frame", "page-table", "page-directory", "pdpt", "pml4", "asid-pool",
                                        "asid-control"};
    return unsigned(kind) < unsigned(Kind::Count) ? names[unsigned(kind)] : "?";
}

seL4_Word Layout::pick(Kind kind, seL4_Word random) const
{
    unsigned n = count[unsigned(kind)];
    return n == 0 ? random % WorldSlots : of_kind[unsigned(kind)][random % n];
}

bool build_world(const Environment& env, seL4_Word seed, Layout& layout)
{
    return Builder(env, seed, layout).build();
}

bool set_up_environment(Environment& env, const seL4_BootInfo* boot_info)
{
    if (tessera_alloc_init(boot_info) != seL4_NoError || tessera_vspace_init(VSpaceBottom, VSpaceTop) != seL4_NoError) {
        printf("fuzz: allocator or VSpace set-up failed\n");
        return false;
    }
    auto* objects = tessera::alloc::process_allocator();
    auto untyped = objects->allocate(seL4_UntypedObject, SizeBits{UntypedBits});
    auto top = objects->cnode(SizeBits{1});
    if (!untyped || !top) {
        printf("fuzz: no memory for the world's untyped or the top CNode\n");
        return false;
    }
    env.untyped = raw(untyped.value().cap);
    env.top_cnode = raw(top.value().cap);
    auto slot = [&] {
        auto s = objects->slots().allocate();
        return s ? raw(s.value()) : seL4_CPtr{seL4_CapNull};
    };
    env.world_cnode = slot();
    for (unsigned w = 0; w < WorkerCount; ++w) {
        env.worker_cspace[w] = slot();
        auto go = objects->notification();
        if (!go || env.worker_cspace[w] == seL4_CapNull) {
            printf("fuzz: no memory for the workers\n");
            return false;
        }
        env.worker_go[w] = raw(go.value().cap);
    }
    // T: slot 0 the root CNode (so every existing cptr still resolves), slot 1 the world.
    return ok(seL4_CNode_Mint(env.top_cnode, 0, 1, seL4_CapInitThreadCNode, seL4_CapInitThreadCNode,
                              seL4_WordBits, seL4_AllRights, cnode_data(0, seL4_WordBits - 1 - boot_info->initThreadCNodeSizeBits)),
              "root CNode into T") &&
           ok(seL4_TCB_SetSpace(seL4_CapInitThreadTCB, 0, env.top_cnode, 0, seL4_CapInitThreadVSpace, 0),
              "the control thread's SetSpace");
}

} // namespace fuzz
