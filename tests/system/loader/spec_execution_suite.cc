// The loader's spec execution on the real kernel, up to the first thread operation, then its
// self-removal: a root task built from the loader's own code with the client/server example
// embedded by `tessera build --loader`. Objects used up are already in the vault; every object
// is checked by its capability type (through the vault when it is there),
// every filled frame byte for byte against the program, every minted capability in the
// protection domains' CNodes, and after removal the loader's CSpace must hold only its TCB while
// the code keeps running on frames it moved into the vault.
#include <stdio.h>
#include <string.h>
#include <tessera/runtime.h>

#include "loader.h"
#include "self_removal.h"

using namespace tessera;
using loader::Executor;
using loader::Loader;

namespace {

Loader suite_loader;
int passed = 0;
int failed = 0;

void check(const char* name, bool ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    (ok ? passed : failed)++;
}

// seL4's x86_64 capType tags, as seL4_DebugCapIdentify reports them.
seL4_Word expected_tag(uint8_t kind)
{
    switch (kind) {
    case TESSERA_OBJECT_TCB: return 12;
    case TESSERA_OBJECT_ENDPOINT: return 4;
    case TESSERA_OBJECT_NOTIFICATION: return 6;
    case TESSERA_OBJECT_CNODE: return 10;
    case TESSERA_OBJECT_VSPACE: return 9;
    case TESSERA_OBJECT_PDPT: return 7;
    case TESSERA_OBJECT_PAGE_DIRECTORY: return 5;
    case TESSERA_OBJECT_PAGE_TABLE: return 3;
    case TESSERA_OBJECT_IRQ_HANDLER: return 16;
    default: return 1; // frames
    }
}

constexpr seL4_Word RootDepth = seL4_WordBits;
constexpr seL4_Word WindowBase = Loader::WindowBase;

// A fresh root slot holding a copy of `source` in `cnode` (at `depth`), or 0.
seL4_Word copy_into_root(seL4_Word cnode, seL4_Word source, seL4_Word depth)
{
    auto slot = suite_loader.objects().slots().allocate();
    if (!slot)
        return 0;
    const seL4_Word index = libos::raw(slot.value());
    if (seL4_CNode_Copy(seL4_CapInitThreadCNode, index, RootDepth, cnode, source, uint8_t(depth),
                        seL4_AllRights) != seL4_NoError) {
        (void)suite_loader.objects().slots().free(slot.value());
        return 0;
    }
    return index;
}

void drop(seL4_Word slot)
{
    (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, RootDepth);
    (void)suite_loader.objects().slots().free(libos::CPtr{slot});
}

// A root-slot copy of object i's capability, wherever the executor keeps it now (0 on failure).
seL4_Word copy_object(const Executor& executor, uint32_t i)
{
    const auto& object = executor.object(i);
    if (object.where == loader::Where::Root)
        return copy_into_root(seL4_CapInitThreadCNode, libos::raw(object.cap), RootDepth);
    if (object.where == loader::Where::Vault)
        return copy_into_root(libos::raw(executor.vault().cap()), object.vault_slot, executor.vault().bits());
    return 0;
}

// A root-slot copy of what slot `slot` of CNode object `cnode` holds: through the CNode's own
// capability, or through the vault and the CNode's capability in it (which has no guard).
seL4_Word copy_cnode_slot(const Executor& executor, uint32_t cnode, seL4_Word slot)
{
    const auto& object = executor.object(cnode);
    if (object.where == loader::Where::Root)
        return copy_into_root(libos::raw(object.cap), slot, object.size_bits);
    const seL4_Word path = (seL4_Word{object.vault_slot} << object.size_bits) | slot;
    return copy_into_root(libos::raw(executor.vault().cap()), path, executor.vault().bits() + object.size_bits);
}

void check_objects(const Executor& executor)
{
    bool all = true;
    for (uint32_t i = 0; i < executor.object_count(); ++i) {
        const auto& object = executor.object(i);
        const seL4_Word copy = copy_object(executor, i);
        const seL4_Word tag = copy != 0 ? seL4_DebugCapIdentify(copy) : 0;
        if (copy != 0)
            drop(copy);
        if (tag != expected_tag(object.kind)) {
            printf("object #%u (kind %u): capability type %lu, expected %lu\n", i, object.kind,
                   (unsigned long)tag, (unsigned long)expected_tag(object.kind));
            all = false;
        }
    }
    check("loader.objects.every_object_has_its_capability_type", all);
}

// Objects move into the vault after their last use, so the loader's CNode never holds them all.
void check_retirement(const Executor& executor)
{
    uint32_t in_vault = 0;
    for (uint32_t i = 0; i < executor.object_count(); ++i)
        in_vault += executor.object(i).where == loader::Where::Vault;
    printf("loader: %u of %u objects already in the vault, at most %u capabilities held at once\n",
           in_vault, executor.object_count(), executor.peak_slots());
    check("loader.retire.used_up_objects_in_the_vault", in_vault > executor.object_count() / 2);
    check("loader.retire.never_all_objects_at_once", executor.peak_slots() < executor.object_count() / 2);
}

struct Tally {
    uint32_t ops = 0;
    uint32_t good = 0;
};

// Counts the ops of `kind` before `end`, and those for which `holds(op)` is true.
template <class Holds> Tally tally(const spec::ImageView& image, uint32_t end, uint32_t kind, Holds holds)
{
    Tally result;
    for (uint32_t i = 0; i < end; ++i) {
        const union tessera_spec_op op = image.spec().op(i);
        if (op.kind != kind)
            continue;
        ++result.ops;
        result.good += holds(op) ? 1 : 0;
    }
    return result;
}

// Each FILL_FRAME's bytes, read back through a copy of the frame's capability (the original is
// mapped in the protection domain and cannot be mapped twice).
bool fill_reads_back(const Executor& executor, const spec::ImageView& image, const tessera_op_fill_frame& fill)
{
    const seL4_Word copy = copy_object(executor, fill.frame);
    if (copy == 0)
        return false;
    bool equal = false;
    const alloc::Object frame{libos::CPtr{copy}, seL4_X86_4K, libos::SizeBits{0}, libos::PAddr{}, 0};
    if (suite_loader.self().map(frame, libos::VAddr{WindowBase}, seL4_CanRead, vspace::Ownership::Borrowed)) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(WindowBase) + fill.frame_offset;
        equal = memcmp(bytes, image.entry_data(fill.entry) + fill.entry_offset, fill.length) == 0;
        (void)suite_loader.self().unmap(libos::VAddr{WindowBase}, 1);
    }
    drop(copy);
    return equal;
}

void check_fills(const Executor& executor, const spec::ImageView& image, uint32_t end)
{
    const Tally fills = tally(image, end, TESSERA_OP_FILL_FRAME, [&](const union tessera_spec_op& op) {
        return fill_reads_back(executor, image, op.fill_frame);
    });
    printf("loader: %u of %u frame fills read back equal\n", fills.good, fills.ops);
    check("loader.fill.program_bytes_in_frames", fills.ops > 0 && fills.good == fills.ops);
}

// Where the kernel says a frame capability's frame is (1, never page-aligned, when it will not).
seL4_Word frame_address(seL4_Word copy)
{
    const auto reply = seL4_X86_Page_GetAddress(copy);
    drop(copy);
    return reply.error == seL4_NoError ? reply.paddr : 1;
}

void check_shared_region(const Executor& executor)
{
    // The buffer is mapped by both protection domains: the second mapping uses a copy.
    bool same_frame = false;
    if (executor.extra_count() == 1) {
        const seL4_Word copy_address = frame_address(copy_into_root(
            libos::raw(executor.vault().cap()), executor.extra(0), executor.vault().bits()));
        for (uint32_t i = 0; i < executor.object_count(); ++i)
            if (executor.object(i).kind == TESSERA_OBJECT_FRAME_4K &&
                frame_address(copy_object(executor, i)) == copy_address)
                same_frame = true;
    }
    check("loader.map.shared_region_one_frame_two_mappings", same_frame);
}

// Every MINT_CAP put a capability of the right type into the protection domain's CNode.
void check_cspaces(const Executor& executor, const spec::ImageView& image, uint32_t end)
{
    const Tally mints = tally(image, end, TESSERA_OP_MINT_CAP, [&](const union tessera_spec_op& op) {
        const seL4_Word copy = copy_cnode_slot(executor, op.mint_cap.cnode, op.mint_cap.slot);
        const bool found = copy != 0 && seL4_DebugCapIdentify(copy) ==
                                            expected_tag(executor.object(op.mint_cap.object).kind);
        if (copy != 0)
            drop(copy);
        return found;
    });
    printf("loader: %u of %u minted capabilities found in place\n", mints.good, mints.ops);
    check("loader.cspace.minted_capabilities_in_place", mints.ops > 0 && mints.good == mints.ops);
}

} // namespace

int main()
{
    const seL4_BootInfo* boot_info = tessera_boot_info();
    const bool opened = suite_loader.open(*boot_info);
    check("loader.image.opens", opened);
    if (!opened)
        return 1;
    const auto& image = suite_loader.image();
    Executor& executor = suite_loader.executor();
    const uint32_t end = executor.first_thread_op();
    check("loader.image.has_thread_ops", end < image.spec().op_count());

    auto ran = executor.run(0, end);
    if (!ran)
        suite_loader.report_failure(ran.error());
    check("loader.ops.all_until_threads_succeed", static_cast<bool>(ran));
    check_retirement(executor);
    // The TCBs' first use is a thread operation: create them (and anything else left) as the
    // removal would.
    auto remaining = executor.create_remaining();
    check("loader.ops.remaining_objects_created", static_cast<bool>(remaining));
    check_objects(executor);
    check_fills(executor, image, end);
    check_shared_region(executor);
    check_cspaces(executor, image, end);

    const seL4_Word root_slots = suite_loader.cspace_slots();
    const loader::RemovalSummary removed = loader::remove_loader(
        executor, suite_loader.self(), *boot_info, root_slots, suite_loader.debug_calls());
    // From here on the suite runs on frames that now live in the vault.
    if (removed.failed != nullptr)
        printf("loader: the kernel refused to %s\n", removed.failed);
    check("loader.removal.every_step_accepted", removed.failed == nullptr);
    check("loader.removal.kept_every_object", removed.kept >= executor.object_count() + executor.extra_count() &&
                                                   executor.vault().taken() == removed.kept);
    check("loader.removal.deleted_untyped_and_controls", removed.deleted > 0);
    if (removed.left != 2) {
        printf("loader: %u capabilities left:", removed.left);
        for (seL4_Word slot = 0; slot < root_slots; ++slot)
            if (seL4_DebugCapIdentify(slot) != 0)
                printf(" slot %lu (type %lu)", (unsigned long)slot, (unsigned long)seL4_DebugCapIdentify(slot));
        printf("\n");
    }
    // Its own CNode's capability goes last, in the loader's main (system.loader.client_server).
    check("loader.removal.only_own_tcb_and_cnode_left",
          removed.left == 2 && seL4_DebugCapIdentify(seL4_CapInitThreadTCB) == 12 &&
              seL4_DebugCapIdentify(seL4_CapInitThreadCNode) == 10);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
