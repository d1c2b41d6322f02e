// Order matters: the vault is retyped while untyped memory is still there, kept capabilities move
// into it before the sweep deletes what is left, and the root CNode's own capability goes last
// (drop_own_cnode) because every deletion before it is invoked through it.
#include "self_removal.h"

namespace tessera::loader {
namespace {

using libos::raw;

constexpr seL4_Word RootDepth = seL4_WordBits;

uint32_t bits_for(uint32_t count)
{
    uint32_t bits = 1;
    while ((uint32_t{1} << bits) < count)
        ++bits;
    return bits;
}

class Vault {
public:
    Vault(seL4_CPtr cap, uint32_t bits) : cap_(cap), bits_(bits) {}

    // Moves the capability in the loader's slot into the next vault slot.
    bool take(seL4_Word slot)
    {
        if (seL4_CNode_Move(cap_, next_, uint8_t(bits_), seL4_CapInitThreadCNode, slot, RootDepth) !=
            seL4_NoError)
            return false;
        ++next_;
        return true;
    }
    // Puts a copy of the vault's own capability inside it, so it outlives the loader's.
    bool seal()
    {
        return seL4_CNode_Copy(cap_, (seL4_Word{1} << bits_) - 1, uint8_t(bits_),
                               seL4_CapInitThreadCNode, cap_, RootDepth, seL4_AllRights) ==
               seL4_NoError;
    }
    seL4_Word taken() const { return next_; }

private:
    seL4_CPtr cap_;
    uint32_t bits_;
    seL4_Word next_ = 0;
};

bool is_slot_full(seL4_Word slot) { return seL4_DebugCapIdentify(slot) != 0; }

} // namespace

RemovalSummary remove_loader(const Executor& executor, alloc::ObjectAllocator& objects,
                             vspace::VSpace& self, const seL4_BootInfo& boot_info)
{
    RemovalSummary summary;
    auto fail = [&summary](const char* step) {
        if (summary.failed == nullptr)
            summary.failed = step;
    };
    const seL4_Word root_slots = seL4_Word{1} << boot_info.initThreadCNodeSizeBits;
    const seL4_SlotRegion frames = boot_info.userImageFrames;
    const seL4_SlotRegion paging = boot_info.userImagePaging;

    // The loader's scratch window and its tables are no longer needed.
    if (!self.release_all())
        fail("release the loader's window");

    const uint32_t body = uint32_t((frames.end - frames.start) + (paging.end - paging.start)) + 2;
    const uint32_t count = executor.object_count() + executor.extra_count() + 1 + body + 1;
    const uint32_t bits = bits_for(count);
    auto vault_object = objects.cnode(libos::SizeBits{bits});
    if (!vault_object) {
        fail("create the vault");
        return summary;
    }
    const seL4_CPtr vault_cap = raw(vault_object.value().cap);
    Vault vault(vault_cap, bits);
    bool moved = true;
    for (uint32_t i = 0; i < executor.object_count(); ++i)
        moved = vault.take(raw(executor.object(i).cap)) && moved;
    for (uint32_t i = 0; i < executor.extra_count(); ++i)
        moved = vault.take(raw(executor.extra(i))) && moved;
    moved = vault.take(seL4_CapInitThreadASIDPool) && moved;
    for (seL4_Word slot = frames.start; slot < frames.end; ++slot)
        moved = vault.take(slot) && moved;
    for (seL4_Word slot = paging.start; slot < paging.end; ++slot)
        moved = vault.take(slot) && moved;
    moved = vault.take(seL4_CapInitThreadVSpace) && moved;
    moved = vault.take(seL4_CapInitThreadIPCBuffer) && moved;
    if (!moved)
        fail("move a capability into the vault");
    summary.kept = uint32_t(vault.taken());
    if (!vault.seal())
        fail("seal the vault");

    // Everything else goes: untyped memory (the objects made from it live on), the IRQ, ASID and
    // I/O port controls, the BootInfo frames, the domain capability, leftovers.
    for (seL4_Word slot = 0; slot < root_slots; ++slot) {
        if (slot == seL4_CapInitThreadTCB || slot == seL4_CapInitThreadCNode || slot == vault_cap ||
            !is_slot_full(slot))
            continue;
        if (seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, RootDepth) == seL4_NoError)
            ++summary.deleted;
        else
            fail("delete a capability");
    }
    if (seL4_CNode_Delete(seL4_CapInitThreadCNode, vault_cap, RootDepth) != seL4_NoError)
        fail("drop the vault");
    summary.left = count_capabilities(root_slots);
    return summary;
}

bool drop_own_cnode()
{
    return seL4_CNode_Delete(seL4_CapInitThreadCNode, seL4_CapInitThreadCNode, RootDepth) ==
           seL4_NoError;
}

uint32_t count_capabilities(seL4_Word slots)
{
    uint32_t count = 0;
    for (seL4_Word slot = 0; slot < slots; ++slot)
        count += is_slot_full(slot) ? 1 : 0;
    return count;
}

seL4_Error stop_loader_thread()
{
    return seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

} // namespace tessera::loader
