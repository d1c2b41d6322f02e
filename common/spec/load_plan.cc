// The peak is found by replaying the loader's rule over the ops once; whether an object exists
// yet is kept in the top bit of its last-use word, so the plan needs no scratch besides it.
#include "tessera/load_plan.h"

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/svm.h>

namespace tessera::spec {
namespace {

constexpr uint32_t CreatedBit = 0x80000000u;
constexpr uint64_t PageBytes = uint64_t{1} << seL4_PageBits;
constexpr uint64_t SlotBytes = uint64_t{1} << seL4_SlotBits;
// Page tables the loader maps for itself: a page table for its window and for its tables, and
// above them a page directory and a PDPT (512 GiB, outside its image).
constexpr uint64_t LoaderPagingPages = 4;
constexpr uint64_t MarginBytes = 256 * 1024;

uint32_t bits_for(uint64_t count)
{
    uint32_t bits = 0;
    while ((uint64_t{1} << bits) < count)
        ++bits;
    return bits;
}

// The objects an op brings into the loader's CNode itself, not through op_references: the
// handler of an IRQ_GET_* op, the I/O port capability of an IOPORT_ISSUE op.
bool creates_handler(const union tessera_spec_op& op)
{
    return op.kind == TESSERA_OP_IRQ_GET_IOAPIC || op.kind == TESSERA_OP_IRQ_GET_MSI ||
           op.kind == TESSERA_OP_IOPORT_ISSUE;
}

uint32_t created_object(const union tessera_spec_op& op)
{
    switch (op.kind) {
    case TESSERA_OP_IRQ_GET_IOAPIC: return op.irq_get_ioapic.handler;
    case TESSERA_OP_IRQ_GET_MSI: return op.irq_get_msi.handler;
    default: return op.ioport_issue.ioport;
    }
}

// A slot the op holds only while it runs: the frame copy of a further mapping, the badged
// notification an interrupt is delivered to.
uint32_t temporary_slots(const union tessera_spec_op& op)
{
    return op.kind == TESSERA_OP_MAP_FRAME || op.kind == TESSERA_OP_IRQ_SET_NOTIFICATION ? 1 : 0;
}

uint32_t peak_capabilities(const SpecView& spec, uint32_t* last_use)
{
    uint32_t held = 0, peak = 0;
    for (uint32_t i = 0; i < spec.op_count(); ++i) {
        const union tessera_spec_op op = spec.op(i);
        uint32_t references[MaxOpReferences];
        const uint32_t count = op.kind == TESSERA_OP_CREATE_OBJECT ? 0 : op_references(op, references);
        if (op.kind == TESSERA_OP_CREATE_OBJECT) {
            // Deferred to the first use; an object nothing uses is made here and kept.
            uint32_t& use = last_use[op.create_object.object];
            if (use == NoUse) {
                use |= CreatedBit;
                ++held;
            }
        } else if (creates_handler(op)) {
            last_use[created_object(op)] |= CreatedBit;
            ++held;
        }
        for (uint32_t r = 0; r < count; ++r)
            if ((last_use[references[r]] & CreatedBit) == 0) {
                last_use[references[r]] |= CreatedBit;
                ++held;
            }
        if (held + temporary_slots(op) > peak)
            peak = held + temporary_slots(op);
        for (uint32_t r = 0; r < count; ++r)
            if ((last_use[references[r]] & ~CreatedBit) == i && last_use[references[r]] != NoUse)
                --held;
    }
    for (uint32_t i = 0; i < spec.object_count(); ++i)
        if (last_use[i] != NoUse)
            last_use[i] &= ~CreatedBit;
    return peak;
}

// What an object takes where the loader places it. The loader retypes objects in the order the
// ops first use them, each aligned to its size, so a smaller object before a larger one leaves a
// gap: up to the larger one's size less a page after pages, up to half a page around the objects
// smaller than a page (TCBs, endpoints, notifications; measured: 1,000 protection domains of 21
// objects leave 11.9 KiB each, this counts 15).
uint64_t placed_bytes(uint64_t bytes)
{
    if (bytes == 0)
        return 0;
    if (bytes > PageBytes)
        return 2 * bytes - PageBytes;
    return bytes + (PageBytes - bytes) / 2;
}

} // namespace

uint64_t object_bytes(const struct tessera_op_create_object& op)
{
    if (op.paddr != TESSERA_PADDR_ANY)
        return 0;
    switch (op.object_kind) {
    case TESSERA_OBJECT_TCB: return uint64_t{1} << seL4_TCBBits;
    case TESSERA_OBJECT_ENDPOINT: return uint64_t{1} << seL4_EndpointBits;
    case TESSERA_OBJECT_NOTIFICATION: return uint64_t{1} << seL4_NotificationBits;
    case TESSERA_OBJECT_CNODE: return op.size_bits < 40 ? SlotBytes << op.size_bits : 0;
    case TESSERA_OBJECT_VSPACE:
    case TESSERA_OBJECT_PDPT:
    case TESSERA_OBJECT_PAGE_DIRECTORY:
    case TESSERA_OBJECT_PAGE_TABLE:
    case TESSERA_OBJECT_FRAME_4K: return PageBytes;
    case TESSERA_OBJECT_FRAME_2M: return uint64_t{1} << seL4_LargePageBits;
    case TESSERA_OBJECT_UNTYPED:
        return op.size_bits <= TESSERA_MAX_UNTYPED_BITS ? uint64_t{1} << op.size_bits : 0;
    case TESSERA_OBJECT_ASID_POOL: return PageBytes;
    case TESSERA_OBJECT_SVM_VCPU: return uint64_t{1} << TESSERA_SVMVCPUBits;
    default: return 0;
    }
}

uint64_t loader_table_bytes(uint32_t objects, uint32_t map_frames)
{
    return uint64_t{objects + 1} * LoaderTableBytesPerObject +
           uint64_t{map_frames + 1} * LoaderTableBytesPerMapping;
}

LoadPlan plan_load(const SpecView& spec, const LoaderStart& start, uint32_t* last_use)
{
    LoadPlan plan;
    plan.objects = spec.object_count();
    for (uint32_t i = 0; i < plan.objects; ++i)
        last_use[i] = NoUse;
    for (uint32_t i = 0; i < spec.op_count(); ++i) {
        const union tessera_spec_op op = spec.op(i);
        uint32_t references[MaxOpReferences];
        const uint32_t count = op_references(op, references);
        for (uint32_t r = 0; r < count; ++r)
            last_use[references[r]] = i;
        plan.address_spaces += op.kind == TESSERA_OP_ASSIGN_ASID ? 1 : 0;
        // A manager's own pool takes one of the kernel's pools whole (counted as a full pool
        // of address spaces: a conservative bound on the loader's pools as well).
        if (op.kind == TESSERA_OP_CREATE_OBJECT && op.create_object.object_kind == TESSERA_OBJECT_ASID_POOL)
            plan.address_spaces += AsidsPerPool;
        plan.frame_copies += op.kind == TESSERA_OP_MAP_FRAME ? 1 : 0;
        if (op.kind == TESSERA_OP_CREATE_OBJECT) {
            plan.object_bytes += placed_bytes(object_bytes(op.create_object));
            // A contiguous run is made all at once at its first frame's first use, and keeps
            // its untyped in the vault.
            const auto& create = op.create_object;
            if (create.placement == TESSERA_PLACE_CONTIGUOUS && create.object == create.at.run.first) {
                ++plan.contiguous_runs;
                plan.run_frames += create.at.run.count;
            }
        }
    }
    plan.peak_capabilities = peak_capabilities(spec, last_use);
    // Where the objects land depends on the kernel's untyped list too (seL4's differs from
    // Tessera's): a margin of 1/32 and 256 KiB (measured: a 1,000-PD ring came within 0.03% of
    // the placement bound alone on seL4).
    plan.object_bytes += plan.object_bytes / 32 + MarginBytes;

    // ASID 0 and the loader's own take two of the first pool's.
    const uint64_t asids = uint64_t{plan.address_spaces} + 2;
    const uint64_t pools = (asids + AsidsPerPool - 1) / AsidsPerPool;
    plan.asid_pools = uint32_t(pools > AsidPoolCount ? AsidPoolCount : pools) - 1;

    const uint64_t tables = loader_table_bytes(plan.objects, plan.frame_copies);
    const uint64_t large_page = uint64_t{1} << seL4_LargePageBits;
    if (tables > LoaderHeapTableLimit)
        plan.table_bytes = (tables + large_page - 1) / large_page * large_page;
    const uint64_t table_pages = plan.table_bytes / large_page;
    const uint64_t image_pages = (start.unpacked_image_bytes + large_page - 1) / large_page;

    // The vault keeps every object, every frame copy, the loader's image, VSpace, IPC buffer and
    // ASID pools, and one slot for its own capability.
    const uint64_t vault_slots = uint64_t{plan.objects} + plan.frame_copies + start.image_slots + 3 +
                                 plan.asid_pools + 1 + plan.contiguous_runs;
    plan.vault_bits = bits_for(vault_slots);
    const uint64_t cspace_slots =
        uint64_t{start.boot_slots} + plan.peak_capabilities + LoaderSpareSlots + table_pages +
        image_pages + 1 + plan.run_frames;
    plan.cspace_bits = bits_for(cspace_slots);
    if (plan.cspace_bits < start.root_cnode_bits)
        plan.cspace_bits = start.root_cnode_bits;

    plan.loader_bytes = (SlotBytes << plan.vault_bits) + uint64_t{plan.asid_pools} * PageBytes +
                        plan.table_bytes + image_pages * large_page + LoaderPagingPages * PageBytes;
    if (plan.cspace_bits > start.root_cnode_bits)
        plan.loader_bytes += SlotBytes << plan.cspace_bits;
    return plan;
}

} // namespace tessera::spec
