// x86_64 paging objects and ASIDs, with seL4's argument checks (decode, no side effects) before
// each change (perform, cannot fail), as in seL4's src/arch/x86/object/ and src/arch/x86/64/kernel/vspace.c.
#include "arch/x86_64/vspace.h"

#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>
#include <tessera/abi/object_sizes.h>
#include <tessera/abi/x86.h>

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/tlb.h"
#include "page_attributes.h"
#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "cdt/cap_relations.h"
#include "cdt/cdt.h"
#include "cdt/derive.h"
#include "cnode/lookup.h"

namespace tessera::x86_64 {
namespace {

using core::Asid;
using core::Cap;
using core::CapType;
using core::LookupFailure;
using core::LookupSide;
using core::PAddr;
using core::Progress;
using core::Result;
using core::Slot;
using core::SyscallError;
using core::VAddr;
using core::Word;
namespace inv = abi::invocation;

constexpr unsigned PoolCount = 1u << AsidHighBits;
constexpr Word PoolEntries = Word{1} << AsidLowBits;

uint64_t asid_table[PoolCount]; // physical address of each ASID pool, or 0

uint64_t* table(uint64_t physical) { return physical_to_virtual<uint64_t>(physical); }

// Level of the entry that maps a table or frame: 3 = PML4E (PDPT), 2 = PDPTE (PD or 1 GiB),
// 1 = PDE (PT or 2 MiB), 0 = PTE (4 KiB).
uint64_t* find_entry(uint64_t pml4, uint64_t vaddr, unsigned level, Word& bits_left)
{
    uint64_t current = pml4;
    for (unsigned l = 3; l > level; l--) {
        const uint64_t e = table(current)[table_index(vaddr, l)];
        if (!(e & pte::Present) || (e & pte::LargePage)) {
            bits_left = PageBits + 9 * l; // seL4's missing-capability bitsLeft for that level
            return nullptr;
        }
        current = e & pte::AddressMask;
    }
    return &table(current)[table_index(vaddr, level)];
}

unsigned frame_level(core::FrameSize size)
{
    return size == core::FrameSize::Small ? 0 : size == core::FrameSize::Large ? 1 : 2;
}

unsigned table_level(CapType type)
{
    return type == CapType::Pdpt ? 3 : type == CapType::PageDirectory ? 2 : 1;
}

EntryKind frame_entry_kind(core::FrameSize size)
{
    return size == core::FrameSize::Small   ? EntryKind::SmallPage
           : size == core::FrameSize::Large ? EntryKind::LargePage
                                            : EntryKind::HugePage;
}

// seL4's USER_TOP on x86_64 is seL4_UserTop, the last address a mapping may cover.
constexpr uint64_t SeL4UserTop = seL4_UserTop;

// seL4's isValidNativeRoot: a PML4 capability with an ASID.
bool is_valid_native_root(const Slot* slot)
{
    return slot != nullptr && slot->cap.type() == CapType::Pml4 && core::Pml4Cap{slot->cap}.is_mapped();
}

// The PML4 a valid native root names, checked as seL4's findVSpaceForASID is: its ASID must
// still name that PML4.
Result<uint64_t> vspace_of(const Slot& slot, Word cap_number)
{
    const core::Pml4Cap vspace{slot.cap};
    const uint64_t pml4 = pml4_for_asid(vspace.mapped_asid());
    if (pml4 == 0)
        return SyscallError::failed_lookup(LookupSide::Destination, LookupFailure::invalid_root())
            .because("ASID no longer assigned");
    if (pml4 != vspace.object().raw())
        return SyscallError::invalid_capability(cap_number).because("ASID names another PML4");
    return pml4;
}

// What a checked Map writes: the entry, its new value, and the capability's mapped form.
struct MapPlan {
    uint64_t* entry;
    uint64_t entry_value;
    Cap mapped_cap;
    uint64_t pml4;
    Asid asid;
    Word vaddr;
};

// seL4's decodeX86FrameInvocation (X86PageMap), check for check and in its order. As in seL4
// on x86, a frame mapped over another frame's entry replaces it; only a paging structure in the
// way is DeleteFirst.
Result<MapPlan> decode_frame_map(const core::Invocation& in, const Slot& slot)
{
    if (in.length() < inv::X86PageMap::word_count || in.extra_cap(inv::X86PageMap::vspace_cap) == nullptr)
        return SyscallError::truncated_message().because("Page Map: truncated message");
    const auto args = in.arguments<inv::X86PageMap>();
    const core::FrameCap frame{slot.cap};
    const Slot* vspace_slot = in.extra_cap(inv::X86PageMap::vspace_cap);
    if (!is_valid_native_root(vspace_slot))
        return SyscallError::invalid_capability(1).because("not a PML4 with an ASID");
    const Asid asid = core::Pml4Cap{vspace_slot->cap}.mapped_asid();
    const Word size = Word{1} << frame.size_bits().raw();
    if (frame.is_mapped()) {
        if (frame.mapped_asid() != asid)
            return SyscallError::invalid_capability(1).because("frame mapped in another address space");
        if (frame.mapped_address().raw() != args.vaddr)
            return SyscallError::invalid_argument(0).because("frame mapped at another address");
    } else if (args.vaddr > SeL4UserTop || args.vaddr + size > SeL4UserTop) {
        return SyscallError::invalid_argument(0).because("address outside the user range");
    }
    const auto pml4 = vspace_of(*vspace_slot, 1);
    if (!pml4)
        return pml4.error();
    const core::VmRights rights = core::mask_vm_rights(frame.rights(), core::CapRights::from_word(args.rights));
    if (args.vaddr & (size - 1))
        return SyscallError::alignment_error().because("address not aligned to the frame size");
    if (frame.size() == core::FrameSize::Huge && !cpu_features().huge_pages)
        return SyscallError::illegal_operation().because("this CPU has no 1 GiB pages");
    Word bits_left = 0;
    uint64_t* entry = find_entry(pml4.value(), args.vaddr, frame_level(frame.size()), bits_left);
    if (entry == nullptr)
        return SyscallError::failed_lookup(LookupSide::Destination, LookupFailure::missing_capability(bits_left))
            .because("no paging structure for this frame size there");
    const bool holds_table = (*entry & pte::Present) && !(*entry & pte::LargePage);
    if (frame.size() != core::FrameSize::Small && holds_table)
        return SyscallError::delete_first().because("a paging structure is mapped there");
    const uint64_t value = frame.object().raw() | pte::Present |
                           (rights == core::VmRights::KernelOnly ? 0 : pte::User) |
                           (rights == core::VmRights::ReadWrite ? pte::Writable : 0) |
                           entry_cache_bits(args.attr, frame_entry_kind(frame.size())) |
                           (frame.device() == core::Device::Yes ? pte::CacheDisable : 0) | // issue 6: devices uncached
                           (frame.size() == core::FrameSize::Small ? 0 : pte::LargePage);
    return MapPlan{entry, value, frame.with_mapping(asid, VAddr{args.vaddr}).cap(), pml4.value(), asid, args.vaddr};
}

// A frame's new entry replaces whatever translation was there, so the TLB forgets it.
Progress perform_frame_map(const MapPlan& plan, Slot& slot)
{
    *plan.entry = plan.entry_value;
    flush_user_address(plan.pml4, plan.asid, plan.vaddr);
    slot.cap = plan.mapped_cap;
    return Progress::Done;
}

Result<Progress> frame_map(const core::Invocation& in, Slot& slot)
{
    const auto plan = decode_frame_map(in, slot);
    if (!plan)
        return plan.error();
    return perform_frame_map(plan.value(), slot);
}

void frame_unmap(Slot& slot)
{
    const core::FrameCap frame{slot.cap};
    if (!frame.is_mapped())
        return;
    const uint64_t pml4 = pml4_for_asid(frame.mapped_asid());
    Word bits_left = 0;
    uint64_t* entry = pml4 ? find_entry(pml4, frame.mapped_address().raw(), frame_level(frame.size()), bits_left) : nullptr;
    if (entry && (*entry & pte::Present) && (*entry & pte::AddressMask) == frame.object().raw()) {
        *entry = 0;
        flush_user_address(pml4, frame.mapped_asid(), frame.mapped_address().raw());
    }
    slot.cap = frame.unmapped().cap();
}

// The VSpace is the only capability argument of every table Map (extra cap 0).
constexpr unsigned TableMapVSpaceCap = 0;
static_assert(inv::X86PDPTMap::pml4_cap == TableMapVSpaceCap && inv::X86PDPTMap::cap_count == 1);
static_assert(inv::X86PageDirectoryMap::vspace_cap == TableMapVSpaceCap &&
              inv::X86PageDirectoryMap::cap_count == 1);
static_assert(inv::X86PageTableMap::vspace_cap == TableMapVSpaceCap && inv::X86PageTableMap::cap_count == 1);

// seL4's PDPT, page directory and page table Map, in seL4's order of checks.
template <class Inv> Result<MapPlan> decode_table_map(const core::Invocation& in, const Slot& slot)
{
    if (in.length() < Inv::word_count || in.extra_cap(TableMapVSpaceCap) == nullptr)
        return SyscallError::truncated_message().because("table Map: truncated message");
    const auto args = in.arguments<Inv>();
    const core::PageTableCap table_cap{slot.cap}; // the four paging kinds share one layout
    if (table_cap.is_mapped())
        return SyscallError::invalid_capability(0).because("table already mapped");
    const unsigned level = table_level(slot.cap.type());
    const Word covered = Word{1} << (PageBits + 9 * level); // what the new table translates
    const Word vaddr = args.vaddr & ~(covered - 1);
    const Word attributes = args.attr;
    const Slot* vspace_slot = in.extra_cap(TableMapVSpaceCap);
    if (!is_valid_native_root(vspace_slot))
        return SyscallError::invalid_capability(1).because("not a PML4 with an ASID");
    if (vaddr > SeL4UserTop)
        return SyscallError::invalid_argument(0).because("address outside the user range");
    const auto pml4 = vspace_of(*vspace_slot, 1);
    if (!pml4)
        return pml4.error();
    Word bits_left = 0;
    uint64_t* entry = find_entry(pml4.value(), vaddr, level, bits_left);
    if (entry == nullptr)
        return SyscallError::failed_lookup(LookupSide::Destination, LookupFailure::missing_capability(bits_left))
            .because("no paging structure above this level there");
    if (*entry & pte::Present)
        return SyscallError::delete_first().because("something is mapped there");
    // Intermediate entries grant everything; the leaf decides (Intel SDM vol. 3A, 4.6).
    const uint64_t value = table_cap.object().raw() | pte::Present | pte::Writable | pte::User |
                           entry_cache_bits(attributes, EntryKind::Table);
    // The paging kinds share one layout, and word 0 keeps the capability's own type.
    const Asid asid = core::Pml4Cap{vspace_slot->cap}.mapped_asid();
    return MapPlan{entry, value, table_cap.with_mapping(asid, VAddr{vaddr}).cap(), pml4.value(), asid, vaddr};
}

// The entry was not present, and x86 caches no translation through a not-present entry
// (Intel SDM vol. 3A, 4.10.2.3), so nothing needs flushing.
Progress perform_table_map(const MapPlan& plan, Slot& slot)
{
    *plan.entry = plan.entry_value;
    slot.cap = plan.mapped_cap;
    return Progress::Done;
}

template <class Inv> Result<Progress> table_map(const core::Invocation& in, Slot& slot)
{
    const auto plan = decode_table_map<Inv>(in, slot);
    if (!plan)
        return plan.error();
    return perform_table_map(plan.value(), slot);
}

void unlink_table(Cap cap)
{
    const core::PageTableCap t{cap};
    if (!t.is_mapped())
        return;
    const uint64_t pml4 = pml4_for_asid(t.mapped_asid());
    Word bits_left = 0;
    uint64_t* entry = pml4 ? find_entry(pml4, t.mapped_address().raw(), table_level(cap.type()), bits_left) : nullptr;
    if (entry && (*entry & pte::Present) && !(*entry & pte::LargePage) && (*entry & pte::AddressMask) == t.object().raw()) {
        *entry = 0;
        flush_user_space(pml4, t.mapped_asid());
    }
}

Result<Progress> table_unmap(Slot& slot)
{
    if (!core::is_final_capability(slot))
        return SyscallError::revoke_first().because("table Unmap: other capabilities to the table exist");
    unlink_table(slot.cap);
    // seL4 clears an unmapped table, so that remapping it cannot revive stale mappings.
    __builtin_memset(table(core::PageTableCap{slot.cap}.object().raw()), 0, PageSize);
    slot.cap = Cap::from_words(slot.cap.word0() & ~core::PageTableCap::IsMapped::mask, 0);
    return Progress::Done;
}

Result<Progress> make_pool(core::CoreContext& ctx, const core::Invocation& in)
{
    using Inv = inv::X86ASIDControlMakePool;
    if (in.length() < Inv::word_count || in.extra_cap(Inv::untyped_cap) == nullptr ||
        in.extra_cap(Inv::root_cap) == nullptr)
        return SyscallError::truncated_message().because("MakePool: truncated message");
    unsigned free_pool = PoolCount;
    for (unsigned i = 0; i < PoolCount && free_pool == PoolCount; i++)
        if (asid_table[i] == 0)
            free_pool = i;
    if (free_pool == PoolCount)
        return SyscallError::delete_first().because("all ASID pools exist");
    Slot& untyped_slot = *in.extra_cap(Inv::untyped_cap);
    if (untyped_slot.cap.type() != CapType::Untyped)
        return SyscallError::invalid_capability(1).because("MakePool: not an untyped");
    const core::UntypedCap untyped{untyped_slot.cap};
    if (untyped.size_bits().raw() != seL4_ASIDPoolBits || untyped.device() == core::Device::Yes)
        return SyscallError::invalid_capability(1).because("ASID pool needs a 4 KiB RAM untyped");
    if (auto r = core::ensure_no_children(untyped_slot); !r)
        return r.error();
    const auto args = in.arguments<Inv>();
    const auto dest = core::lookup_target_slot(ctx, in.extra_cap(Inv::root_cap)->cap, core::CPtr{args.index},
                                               core::Depth{args.depth});
    if (!dest)
        return dest.error();
    if (auto r = core::ensure_empty_slot(*dest.value()); !r)
        return r.error();

    const uint64_t pool = untyped.base().raw();
    __builtin_memset(table(pool), 0, PageSize);
    untyped_slot.cap = untyped.with_free_index(core::UntypedCap::max_free_index(untyped.size_bits())).cap();
    asid_table[free_pool] = pool;
    core::insert_new_cap(untyped_slot, *dest.value(), core::AsidPoolCap::make(PAddr{pool}, Asid{Word{free_pool} << AsidLowBits}).cap());
    return Progress::Done;
}

Result<Progress> pool_assign(const core::Invocation& in, Slot& pool_slot)
{
    Slot* vspace_slot = in.extra_cap(inv::X86ASIDPoolAssign::vspace_cap);
    if (vspace_slot == nullptr)
        return SyscallError::truncated_message().because("ASIDPool Assign: no VSpace capability");
    if (vspace_slot->cap.type() != CapType::Pml4 || core::Pml4Cap{vspace_slot->cap}.is_mapped())
        return SyscallError::invalid_capability(1).because("not an unassigned PML4");
    const core::AsidPoolCap pool{pool_slot.cap};
    const Word base = pool.asid_base().raw();
    if (asid_table[base >> AsidLowBits] == 0)
        return SyscallError::failed_lookup(LookupSide::Destination, LookupFailure::invalid_root())
            .because("no pool at this ASID base");
    if (asid_table[base >> AsidLowBits] != pool.object().raw())
        return SyscallError::invalid_capability(0).because("another pool took this ASID base");
    uint64_t* entries = table(pool.object().raw());
    Word free_entry = PoolEntries;
    for (Word i = base == 0 ? 1 : 0; i < PoolEntries && free_entry == PoolEntries; i++)
        if (entries[i] == 0)
            free_entry = i;
    if (free_entry == PoolEntries)
        return SyscallError::delete_first().because("ASID pool full");
    entries[free_entry] = core::Pml4Cap{vspace_slot->cap}.object().raw();
    vspace_slot->cap = core::Pml4Cap{vspace_slot->cap}.with_mapping(Asid{base + free_entry}, VAddr{0}).cap();
    // A TCB may hold a capability naming this ASID from before its pool was deleted (it resolved
    // to the kernel's PML4 since): the ASID table changed, so every thread resolves again.
    vspace_changed();
    return Progress::Done;
}

} // namespace

uint64_t pml4_for_asid(Asid asid)
{
    const Word a = asid.raw();
    if (a == 0 || a >= PoolCount * PoolEntries || asid_table[a >> AsidLowBits] == 0)
        return 0;
    return table(asid_table[a >> AsidLowBits])[a & (PoolEntries - 1)];
}

void register_initial_asid_pool(uint64_t pool, Asid asid, uint64_t pml4)
{
    asid_table[0] = pool;
    table(pool)[asid.raw()] = pml4;
}

Result<Progress> invoke_vspace_object(core::CoreContext& ctx, Word label, const core::Invocation& in, Slot& slot,
                                      Word* reply, Word& reply_length)
{
    const CapType type = slot.cap.type();
    switch (type) {
    case CapType::Frame:
        if (label == X86PageMap)
            return frame_map(in, slot);
        if (label == X86PageUnmap) {
            frame_unmap(slot);
            return Progress::Done;
        }
        if (label == X86PageGetAddress) {
            reply[0] = core::FrameCap{slot.cap}.object().raw();
            reply_length = 1;
            return Progress::Done;
        }
        break;
    case CapType::PageTable:
        if (label == X86PageTableMap)
            return table_map<inv::X86PageTableMap>(in, slot);
        if (label == X86PageTableUnmap)
            return table_unmap(slot);
        break;
    case CapType::PageDirectory:
        if (label == X86PageDirectoryMap)
            return table_map<inv::X86PageDirectoryMap>(in, slot);
        if (label == X86PageDirectoryUnmap)
            return table_unmap(slot);
        break;
    case CapType::Pdpt:
        if (label == X86PDPTMap)
            return table_map<inv::X86PDPTMap>(in, slot);
        if (label == X86PDPTUnmap)
            return table_unmap(slot);
        break;
    case CapType::AsidControl:
        if (label == X86ASIDControlMakePool)
            return make_pool(ctx, in);
        break;
    case CapType::AsidPool:
        if (label == X86ASIDPoolAssign)
            return pool_assign(in, slot);
        break;
    default:
        break;
    }
    return SyscallError::illegal_operation().because("not a method of this object");
}

uint64_t vspace_changes = 1; // a fresh TCB's zeroed cache (epoch 0) never matches

void finalise_vspace_cap(Cap cap, bool final)
{
    // Any PML4 capability, not only the last: the deleted one may be a TCB's VSpace (revoked
    // or the TCB's own slot emptied), which resolves to the kernel's PML4 from now on.
    if (cap.type() == CapType::Pml4 || (final && cap.type() == CapType::AsidPool))
        vspace_changed();
    switch (cap.type()) {
    case CapType::Frame: {
        Slot scratch{cap, {}};
        frame_unmap(scratch); // every frame capability's own mapping goes with it
        break;
    }
    case CapType::PageTable:
    case CapType::PageDirectory:
    case CapType::Pdpt:
        if (final)
            unlink_table(cap);
        break;
    case CapType::Pml4:
        if (final && core::Pml4Cap{cap}.is_mapped()) {
            const Word a = core::Pml4Cap{cap}.mapped_asid().raw();
            if (asid_table[a >> AsidLowBits] != 0) {
                uint64_t& entry = table(asid_table[a >> AsidLowBits])[a & (PoolEntries - 1)];
                if (entry == core::Pml4Cap{cap}.object().raw()) {
                    entry = 0;
                    release_asid(core::Pml4Cap{cap}.object().raw(), Asid{a});
                }
            }
        }
        break;
    case CapType::AsidPool:
        if (final) {
            const Word base = core::AsidPoolCap{cap}.asid_base().raw();
            if (asid_table[base >> AsidLowBits] == core::AsidPoolCap{cap}.object().raw()) {
                asid_table[base >> AsidLowBits] = 0;
                const uint64_t* entries = table(core::AsidPoolCap{cap}.object().raw());
                for (Word i = 0; i < PoolEntries; i++)
                    if (entries[i] != 0)
                        release_asid(entries[i], Asid{base + i});
            }
        }
        break;
    default:
        break;
    }
}

void initialise_vspace_object(core::CoreContext& ctx, Cap cap)
{
    if (cap.type() == CapType::Pml4)
        copy_kernel_mappings(ctx.window.at<uint64_t>(core::Pml4Cap{cap}.object()));
}

} // namespace tessera::x86_64
