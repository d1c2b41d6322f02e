// Order matters: the vault is retyped while untyped memory is still there, kept capabilities move
// into it before the sweep deletes what is left, and the root CNode's own capability goes last
// (drop_own_cnode) because every deletion before it is invoked through it.
#include "self_removal.h"

namespace tessera::loader {
namespace {

using libos::raw;

constexpr seL4_Word RootDepth = seL4_WordBits;

bool is_slot_full(seL4_Word slot) { return seL4_DebugCapIdentify(slot) != 0; }

} // namespace

RemovalSummary remove_loader(Executor& executor, vspace::VSpace& self, const seL4_BootInfo& boot_info,
                             seL4_Word root_slots, DebugCalls debug_calls)
{
    const bool can_ask = debug_calls == DebugCalls::Present;
    RemovalSummary summary;
    auto fail = [&summary](const char* step) {
        if (summary.failed == nullptr)
            summary.failed = step;
    };
    const seL4_SlotRegion frames = boot_info.userImageFrames;
    const seL4_SlotRegion paging = boot_info.userImagePaging;

    // The loader's scratch window and its tables are no longer needed.
    if (!self.release_all())
        fail("release the loader's window");
    if (!executor.create_remaining())
        fail("create the objects no operation used");

    Vault& vault = executor.vault();
    bool moved = true;
    for (uint32_t i = 0; i < executor.object_count(); ++i)
        if (executor.object(i).where == Where::Root)
            moved = vault.take(executor.object(i).cap) && moved;
    moved = vault.take(CPtr{seL4_CapInitThreadASIDPool}) && moved;
    for (uint32_t i = 0; i < executor.pool_count(); ++i)
        moved = vault.take(executor.pool(i)) && moved;
    for (seL4_Word slot = frames.start; slot < frames.end; ++slot)
        moved = vault.take(CPtr{slot}) && moved;
    for (seL4_Word slot = paging.start; slot < paging.end; ++slot)
        moved = vault.take(CPtr{slot}) && moved;
    moved = vault.take(CPtr{seL4_CapInitThreadVSpace}) && moved;
    moved = vault.take(CPtr{seL4_CapInitThreadIPCBuffer}) && moved;
    if (!moved)
        fail("move a capability into the vault");
    summary.kept = vault.taken();
    if (!vault.seal())
        fail("seal the vault");

    // Everything else goes: untyped memory (the objects made from it live on), the IRQ, ASID and
    // I/O port controls, the BootInfo frames, the domain capability, leftovers.
    const seL4_Word vault_cap = raw(vault.cap());
    for (seL4_Word slot = 0; slot < root_slots; ++slot) {
        // A domain schedule still to start needs the domain capability (start_domain_schedule).
        const bool schedule_pending = slot == seL4_CapDomain && executor.has_domain_start();
        if (slot == seL4_CapInitThreadTCB || slot == seL4_CapInitThreadCNode || slot == vault_cap ||
            schedule_pending || (can_ask && !is_slot_full(slot)))
            continue;
        // Deleting an empty slot succeeds and changes nothing.
        if (seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, RootDepth) == seL4_NoError)
            summary.deleted += can_ask ? 1 : 0;
        else
            fail("delete a capability");
    }
    if (seL4_CNode_Delete(seL4_CapInitThreadCNode, vault_cap, RootDepth) != seL4_NoError)
        fail("drop the vault");
    summary.left = can_ask ? count_capabilities(root_slots) : 0;
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

seL4_Error start_domain_schedule(uint32_t index)
{
    // The loader is in domain 0: from here it runs only in domain 0's turns, if any, and then
    // only to suspend itself. Its CNode capability is gone, so the domain capability stays in its
    // CSpace with its TCB's: a thread that never runs, or is suspended, cannot use it.
    return seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, index);
}

seL4_Error stop_loader_thread()
{
    return seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

} // namespace tessera::loader
