// Spec execution. The reader has already checked every op's fields and object references, so
// the only failures left are the kernel's (out of memory, an address already mapped, ...): each
// is returned as a value naming the step, and the loader stops at the first.
#include "executor.h"

#include <sel4/tessera_svm.h>
#include <stdlib.h>
#include <string.h>

namespace tessera::loader {
namespace {

using alloc::Object;
using libos::check;
using libos::make_error;
using libos::PAddr;
using libos::raw;
using libos::SizeBits;

constexpr seL4_Word RootDepth = seL4_WordBits;
constexpr CPtr Root{seL4_CapInitThreadCNode};

// The seL4 object type behind each of the spec's object kinds (0 = not retyped).
seL4_Word sel4_type(uint32_t kind)
{
    switch (kind) {
    case TESSERA_OBJECT_TCB: return seL4_TCBObject;
    case TESSERA_OBJECT_ENDPOINT: return seL4_EndpointObject;
    case TESSERA_OBJECT_NOTIFICATION: return seL4_NotificationObject;
    case TESSERA_OBJECT_CNODE: return seL4_CapTableObject;
    case TESSERA_OBJECT_VSPACE: return seL4_X64_PML4Object;
    case TESSERA_OBJECT_PDPT: return seL4_X86_PDPTObject;
    case TESSERA_OBJECT_PAGE_DIRECTORY: return seL4_X86_PageDirectoryObject;
    case TESSERA_OBJECT_PAGE_TABLE: return seL4_X86_PageTableObject;
    case TESSERA_OBJECT_FRAME_4K: return seL4_X86_4K;
    case TESSERA_OBJECT_FRAME_2M: return seL4_X86_LargePageObject;
    case TESSERA_OBJECT_UNTYPED: return seL4_UntypedObject;
    case TESSERA_OBJECT_SVM_VCPU: return TESSERA_X86_SVMVCPUObject;
    default: return 0;
    }
}

seL4_CapRights_t cap_rights(uint32_t rights)
{
    return seL4_CapRights_new((rights & TESSERA_RIGHT_GRANT_REPLY) != 0,
                              (rights & TESSERA_RIGHT_GRANT) != 0, (rights & TESSERA_RIGHT_READ) != 0,
                              (rights & TESSERA_RIGHT_WRITE) != 0);
}

// x86 page rights are read and write only: execution is allowed wherever reading is.
seL4_CapRights_t map_rights(uint32_t rights)
{
    return seL4_CapRights_new(0, 0, (rights & TESSERA_RIGHT_READ) != 0,
                              (rights & TESSERA_RIGHT_WRITE) != 0);
}

seL4_Word word(CPtr cap) { return raw(cap); }

} // namespace

Executor::Executor(const spec::ImageView& image, alloc::ObjectAllocator& objects,
                   vspace::VSpace& self, VAddr window)
    : image_(image), allocator_(objects), self_(self), window_(window), pci_(objects)
{
}

Result<void> Executor::prepare(TableMemory& tables, const spec::LoaderStart& start)
{
    const spec::SpecView& spec = image_.spec();
    const uint32_t objects = spec.object_count();
    for (uint32_t i = 0; i < spec.op_count(); ++i)
        if (spec.op(i).kind == TESSERA_OP_MAP_FRAME)
            ++extra_capacity_;
    // Zeroed records are pending objects (no capability yet, not mapped).
    objects_table_ = tables.take<LoaderObject>(objects + 1);
    create_op_ = tables.take<uint32_t>(objects + 1);
    last_use_ = tables.take<uint32_t>(objects + 1);
    extras_ = tables.take<uint32_t>(extra_capacity_ + 1);
    if (objects_table_ == nullptr || create_op_ == nullptr || last_use_ == nullptr || extras_ == nullptr)
        return make_error(seL4_NotEnoughMemory, "loader: the object table does not fit its memory");
    for (uint32_t i = 0; i < objects; ++i)
        create_op_[i] = NoOp;
    // The plan leaves each object's last use in last_use_ (spec::NoUse is NoOp).
    static_assert(spec::NoUse == NoOp);
    plan_ = spec::plan_load(spec, start, last_use_);
    return {};
}

Result<void> Executor::create_vault()
{
    return vault_.create(allocator_, (uint32_t{1} << plan_.vault_bits) - 1);
}

uint32_t Executor::first_thread_op() const
{
    const spec::SpecView& spec = image_.spec();
    for (uint32_t i = 0; i < spec.op_count(); ++i)
        switch (spec.op(i).kind) {
        case TESSERA_OP_TCB_CONFIGURE:
        case TESSERA_OP_TCB_SET_PRIORITY:
        case TESSERA_OP_TCB_WRITE_REGISTERS:
        case TESSERA_OP_TCB_BIND_NOTIFICATION:
        case TESSERA_OP_TCB_SET_NAME:
        case TESSERA_OP_TCB_RESUME:
        case TESSERA_OP_TCB_SET_FLAGS:
        case TESSERA_OP_DOMAIN_SET: return i;
        default: break;
        }
    return spec.op_count();
}

Result<void> Executor::run(uint32_t begin, uint32_t end)
{
    for (uint32_t i = begin; i < end && i < image_.spec().op_count(); ++i) {
        const union tessera_spec_op op = image_.spec().op(i);
        failed_op_ = i;
        Result<void> done{};
        if (op.kind == TESSERA_OP_CREATE_OBJECT) {
            // Deferred to the object's first use; an object nothing uses is made here.
            create_op_[op.create_object.object] = i;
            if (last_use_[op.create_object.object] == NoOp &&
                objects_table_[op.create_object.object].where == Where::Pending)
                done = create_object(op.create_object);
        } else {
            done = ensure_created(op, i);
            if (done)
                done = execute(op);
            if (done)
                done = retire_after(op, i);
        }
        if (!done) {
            (void)close_window();
            return done.error();
        }
    }
    return close_window();
}

Result<void> Executor::create_remaining()
{
    const spec::SpecView& spec = image_.spec();
    for (uint32_t i = 0; i < spec.op_count(); ++i) {
        const union tessera_spec_op op = spec.op(i);
        if (op.kind != TESSERA_OP_CREATE_OBJECT ||
            objects_table_[op.create_object.object].where != Where::Pending)
            continue;
        failed_op_ = i;
        auto created = create_object(op.create_object);
        if (!created)
            return created;
    }
    return {};
}

Result<void> Executor::ensure_created(const union tessera_spec_op& op, uint32_t index)
{
    uint32_t references[spec::MaxOpReferences];
    const uint32_t count = spec::op_references(op, references);
    for (uint32_t r = 0; r < count; ++r) {
        const uint32_t object = references[r];
        if (objects_table_[object].where != Where::Pending)
            continue;
        if (create_op_[object] == NoOp)
            return make_error(seL4_InvalidArgument, "an op uses an object not created before it");
        auto created = create_object(image_.spec().op(create_op_[object]).create_object);
        if (!created) {
            failed_op_ = create_op_[object];
            return created;
        }
    }
    failed_op_ = index;
    return {};
}

Result<void> Executor::retire_after(const union tessera_spec_op& op, uint32_t index)
{
    uint32_t references[spec::MaxOpReferences];
    const uint32_t count = spec::op_references(op, references);
    for (uint32_t r = 0; r < count; ++r)
        if (last_use_[references[r]] == index && objects_table_[references[r]].where == Where::Root) {
            auto retired = retire(references[r]);
            if (!retired)
                return retired;
        }
    return {};
}

Result<void> Executor::retire(uint32_t object)
{
    LoaderObject& record = objects_table_[object];
    if (window_frame_ == int64_t(object)) {
        auto closed = close_window();
        if (!closed)
            return closed;
    }
    auto slot = vault_.take(record.cap);
    if (!slot)
        return slot.error();
    (void)allocator_.slots().free(record.cap);
    record.vault_slot = slot.value();
    record.where = Where::Vault;
    count_slot(-1);
    return {};
}

void Executor::count_slot(int delta)
{
    in_root_ = uint32_t(int64_t(in_root_) + delta);
    if (in_root_ > peak_)
        peak_ = in_root_;
}

Result<void> Executor::execute(const union tessera_spec_op& op)
{
    // Fills and physical-address writes of one frame share its window mapping.
    if (op.kind != TESSERA_OP_FILL_FRAME && op.kind != TESSERA_OP_WRITE_PADDR &&
        op.kind != TESSERA_OP_FILL_BOOTINFO &&
        op.kind != TESSERA_OP_PCI_DESCRIBE) {
        auto closed = close_window();
        if (!closed)
            return closed;
    }
    switch (op.kind) {
    case TESSERA_OP_CREATE_OBJECT: return create_object(op.create_object);
    case TESSERA_OP_ASSIGN_ASID: return assign_asid(op.assign_asid);
    case TESSERA_OP_MAP_TABLE: return map_table(op.map_table);
    case TESSERA_OP_FILL_FRAME: return fill_frame(op.fill_frame);
    case TESSERA_OP_WRITE_PADDR: return write_paddr(op.write_paddr);
    case TESSERA_OP_PCI_FIND: {
        const char* name = image_.spec().string(op.pci_find.name);
        return pci_.find(op.pci_find, name ? name : "?");
    }
    case TESSERA_OP_PCI_DESCRIBE: return pci_describe(op.pci_describe);
    case TESSERA_OP_MAP_FRAME: return map_frame(op.map_frame);
    case TESSERA_OP_IRQ_GET_IOAPIC:
    case TESSERA_OP_IRQ_GET_MSI: return irq_get(op);
    case TESSERA_OP_IRQ_SET_NOTIFICATION: return irq_set_notification(op.irq_set_notification);
    case TESSERA_OP_MINT_CAP: return mint_cap(op.mint_cap);
    case TESSERA_OP_TCB_CONFIGURE: return tcb_configure(op.tcb_configure);
    case TESSERA_OP_TCB_SET_PRIORITY: {
        const auto& set = op.tcb_set_priority;
        return check(seL4_TCB_SetSchedParams(word(objects_table_[set.tcb].cap), seL4_CapInitThreadTCB,
                                             set.max_priority, set.priority),
                     "set a thread's priority");
    }
    case TESSERA_OP_TCB_WRITE_REGISTERS: return tcb_write_registers(op.tcb_write_registers);
    case TESSERA_OP_TCB_BIND_NOTIFICATION: {
        const auto& bind = op.tcb_bind_notification;
        return check(seL4_TCB_BindNotification(word(objects_table_[bind.tcb].cap),
                                               word(objects_table_[bind.notification].cap)),
                     "bind a notification");
    }
    case TESSERA_OP_TCB_SET_NAME: {
        // A name only shows in the kernel's debug output, which a kernel without debug calls
        // does not have.
        if (debug_calls_ == DebugCalls::Absent)
            return {};
        const char* name = image_.spec().string(op.tcb_set_name.name);
        seL4_DebugNameThread(word(objects_table_[op.tcb_set_name.tcb].cap), name ? name : "");
        return {};
    }
    case TESSERA_OP_TCB_RESUME:
        return check(seL4_TCB_Resume(word(objects_table_[op.tcb_resume.tcb].cap)), "start a thread");
    case TESSERA_OP_IOPORT_ISSUE: return ioport_issue(op.ioport_issue);
    case TESSERA_OP_FILL_BOOTINFO: return fill_bootinfo(op.fill_bootinfo);
    case TESSERA_OP_TCB_SET_FLAGS: {
        const auto& flags = op.tcb_set_flags;
        const seL4_TCB_SetFlags_t set =
            seL4_TCB_SetFlags(word(objects_table_[flags.tcb].cap), flags.clear, flags.set);
        return check(static_cast<seL4_Error>(set.error), "set a thread's flags");
    }
    case TESSERA_OP_DOMAIN_SET:
        return check(seL4_DomainSet_Set(seL4_CapDomain, static_cast<seL4_Uint8>(op.domain_set.domain),
                                        word(objects_table_[op.domain_set.tcb].cap)),
                     "move a thread to its domain");
    case TESSERA_OP_DOMAIN_SCHEDULE: {
        // The running entry (domain 0, the loader's) keeps its time: the change shows only when
        // the schedule is started.
        const auto& entry = op.domain_schedule;
        return check(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, entry.index,
                                                      static_cast<seL4_Uint8>(entry.domain), entry.duration),
                     "configure a domain schedule entry");
    }
    case TESSERA_OP_DOMAIN_START:
        // Starting the schedule may take the CPU from the loader (domain 0) for good: kept for
        // the loader's last act (start_domain_schedule).
        if (has_domain_start())
            return make_error(seL4_InvalidArgument, "a second domain schedule start");
        domain_start_ = op.domain_start.index;
        return {};
    case TESSERA_OP_SVM_VCPU_BIND: return svm_vcpu_bind(op.svm_vcpu_bind);
    default: return make_error(seL4_InvalidArgument, "unknown operation");
    }
}

Result<void> Executor::assign_asid(const struct tessera_op_assign_asid& op)
{
    const seL4_Word vspace = word(objects_table_[op.vspace].cap);
    const CPtr pool = pool_count_ == 0 ? CPtr{seL4_CapInitThreadASIDPool} : pools_[pool_count_ - 1];
    const seL4_Error assigned = seL4_X86_ASIDPool_Assign(word(pool), vspace);
    // A full pool answers DeleteFirst: the next address spaces go into a new one.
    if (assigned != seL4_DeleteFirst)
        return check(assigned, "assign an ASID");
    auto made = make_asid_pool();
    if (!made)
        return made;
    return check(seL4_X86_ASIDPool_Assign(word(pools_[pool_count_ - 1]), vspace), "assign an ASID");
}

Result<CPtr> Executor::new_asid_pool()
{
    // The kernel has AsidPoolCount pools, the initial one included.
    if (pool_count_ + manager_pools_ + 1 >= spec::AsidPoolCount)
        return make_error(seL4_DeleteFirst, "every ASID pool is full (4,094 address spaces at most)");
    // seL4_X86_ASIDControl_MakePool takes a RAM untyped of exactly 4 KiB with nothing in it.
    auto untyped = allocator_.allocate(seL4_UntypedObject, SizeBits{seL4_ASIDPoolBits});
    if (!untyped)
        return untyped.error();
    auto slot = allocator_.slots().allocate();
    if (!slot)
        return slot.error();
    auto made = check(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, word(untyped.value().cap),
                                                    seL4_CapInitThreadCNode, word(slot.value()),
                                                    RootDepth),
                      "make an ASID pool");
    if (!made) {
        (void)allocator_.slots().free(slot.value());
        return made.error();
    }
    return slot.value();
}

Result<void> Executor::make_asid_pool()
{
    auto pool = new_asid_pool();
    if (!pool)
        return pool.error();
    pools_[pool_count_++] = pool.value();
    return {};
}

// A dynamic manager's own pool (TESSERA_OBJECT_ASID_POOL): it assigns its children's ASIDs.
Result<void> Executor::create_manager_pool(const struct tessera_op_create_object& op)
{
    auto pool = new_asid_pool();
    if (!pool)
        return pool.error();
    ++manager_pools_;
    objects_table_[op.object] = LoaderObject{pool.value(), 0, Where::Root, uint8_t(op.object_kind), 0, false};
    count_slot(+1);
    return {};
}

Result<void> Executor::create_object(const struct tessera_op_create_object& op)
{
    if (op.placement == TESSERA_PLACE_CONTIGUOUS)
        return create_run(op);
    if (op.object_kind == TESSERA_OBJECT_ASID_POOL)
        return create_manager_pool(op);
    const seL4_Word type = sel4_type(op.object_kind);
    const bool sized = op.object_kind == TESSERA_OBJECT_CNODE || op.object_kind == TESSERA_OBJECT_UNTYPED;
    const SizeBits size{sized ? op.size_bits : 0};
    auto paddr = placed_address(op);
    if (!paddr)
        return paddr.error();
    auto object = paddr.value().raw() == TESSERA_PADDR_ANY ? allocator_.allocate(type, size)
                                                           : allocator_.allocate_at(type, size, paddr.value());
    // A kernel without SVM refuses the type as seL4's does (InvalidArgument): the rest of the
    // system still runs, and the VMM says it has no VCPU (docs/vmm.md).
    if (!object && op.object_kind == TESSERA_OBJECT_SVM_VCPU && object.code() == seL4_InvalidArgument) {
        objects_table_[op.object] = LoaderObject{libos::NullCap, 0, Where::Absent, uint8_t(op.object_kind), 0, false};
        ++absent_vcpus_;
        return {};
    }
    if (!object)
        return object.error();
    objects_table_[op.object] = LoaderObject{object.value().cap, 0, Where::Root,
                                             uint8_t(op.object_kind), uint8_t(op.size_bits), false};
    count_slot(+1);
    return {};
}

Result<void> Executor::map_table(const struct tessera_op_map_table& op)
{
    const LoaderObject& table = objects_table_[op.table];
    const seL4_Word vspace = word(objects_table_[op.vspace].cap);
    const seL4_X86_VMAttributes attributes = seL4_X86_Default_VMAttributes;
    switch (table.kind) {
    case TESSERA_OBJECT_PDPT:
        return check(seL4_X86_PDPT_Map(word(table.cap), vspace, op.vaddr, attributes), "map a PDPT");
    case TESSERA_OBJECT_PAGE_DIRECTORY:
        return check(seL4_X86_PageDirectory_Map(word(table.cap), vspace, op.vaddr, attributes),
                     "map a page directory");
    default:
        return check(seL4_X86_PageTable_Map(word(table.cap), vspace, op.vaddr, attributes),
                     "map a page table");
    }
}

Result<void> Executor::close_window()
{
    if (window_frame_ < 0)
        return {};
    window_frame_ = -1;
    return self_.unmap(window_, 1);
}

Result<void> Executor::open_window(uint32_t frame_index)
{
    if (window_frame_ == int64_t(frame_index))
        return {};
    auto closed = close_window();
    if (!closed)
        return closed;
    const Object object{objects_table_[frame_index].cap, seL4_X86_4K, SizeBits{0}, PAddr{}, 0};
    auto mapped = self_.map(object, window_, seL4_ReadWrite, vspace::Ownership::Borrowed);
    if (!mapped)
        return mapped;
    window_frame_ = frame_index;
    return {};
}

Result<void> Executor::fill_frame(const struct tessera_op_fill_frame& op)
{
    const LoaderObject& frame = objects_table_[op.frame];
    if (frame.kind != TESSERA_OBJECT_FRAME_4K || op.frame_offset > libos::PageSize ||
        op.length > libos::PageSize - op.frame_offset)
        return make_error(seL4_InvalidArgument, "fill: only 4 KiB frames, within the frame");
    auto opened = open_window(op.frame);
    if (!opened)
        return opened;
    memcpy(reinterpret_cast<uint8_t*>(window_.raw()) + op.frame_offset,
           image_.entry_data(op.entry) + op.entry_offset, op.length);
    return {};
}

Result<void> Executor::write_paddr(const struct tessera_op_write_paddr& op)
{
    const LoaderObject& frame = objects_table_[op.frame];
    if (frame.kind != TESSERA_OBJECT_FRAME_4K || op.frame_offset > libos::PageSize - 8)
        return make_error(seL4_InvalidArgument, "write_paddr: only 4 KiB frames, within the frame");
    const seL4_X86_Page_GetAddress_t address =
        seL4_X86_Page_GetAddress(word(objects_table_[op.source].cap));
    auto asked = check(static_cast<seL4_Error>(address.error), "ask a frame's physical address");
    if (!asked)
        return asked;
    auto opened = open_window(op.frame);
    if (!opened)
        return opened;
    memcpy(reinterpret_cast<uint8_t*>(window_.raw()) + op.frame_offset, &address.paddr,
           sizeof address.paddr);
    return {};
}

Result<void> Executor::fill_bootinfo(const struct tessera_op_fill_bootinfo& op)
{
    // The kernel's extra BootInfo chunk, copied whole with its header (pci_config.h).
    const seL4_BootInfo* boot_info = seL4_GetBootInfo();
    if (boot_info == nullptr)
        return make_error(seL4_IllegalOperation, "fill_bootinfo: the loader has no BootInfo");
    seL4_Word length = 0;
    const uint8_t* chunk = boot_info_chunk(*boot_info, op.chunk, length);
    if (chunk != nullptr) {
        auto opened = open_window(op.frame);
        if (!opened)
            return opened;
        memcpy(reinterpret_cast<uint8_t*>(window_.raw()), chunk, length < libos::PageSize ? length : libos::PageSize);
        return {};
    }
    return {}; // no such chunk: the region stays zero (its header's length reads 0)
}

Result<void> Executor::map_frame(const struct tessera_op_map_frame& op)
{
    LoaderObject& frame = objects_table_[op.frame];
    const seL4_X86_VMAttributes attributes =
        op.flags & TESSERA_MAP_CACHED ? seL4_X86_Default_VMAttributes : seL4_X86_CacheDisabled;
    const seL4_Word vspace = word(objects_table_[op.vspace].cap);
    if (!frame.mapped) {
        auto mapped = check(seL4_X86_Page_Map(word(frame.cap), vspace, op.vaddr, map_rights(op.rights),
                                              attributes),
                            "map a frame");
        frame.mapped = static_cast<bool>(mapped);
        return mapped;
    }
    // A further mapping of the frame: through a copy of its capability, which has no other use
    // and goes straight into the vault.
    if (extra_count_ == extra_capacity_)
        return make_error(seL4_NotEnoughMemory, "map: more frame copies than mappings");
    auto slot = allocator_.slots().allocate();
    if (!slot)
        return slot.error();
    const seL4_Word copy = word(slot.value());
    auto done = check(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, RootDepth, seL4_CapInitThreadCNode,
                                      word(frame.cap), RootDepth, seL4_AllRights),
                      "copy a shared frame's capability");
    if (done)
        done = check(seL4_X86_Page_Map(copy, vspace, op.vaddr, map_rights(op.rights), attributes),
                     "map a frame");
    if (done) {
        auto kept = vault_.take(slot.value());
        if (kept)
            extras_[extra_count_++] = kept.value();
        else
            done = kept.error();
    }
    if (!done)
        (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, RootDepth);
    (void)allocator_.slots().free(slot.value());
    return done;
}

Result<void> Executor::irq_get(const union tessera_spec_op& op)
{
    auto slot = allocator_.slots().allocate();
    if (!slot)
        return slot.error();
    const seL4_Word index = word(slot.value());
    seL4_Error error;
    if (op.kind == TESSERA_OP_IRQ_GET_IOAPIC) {
        const auto& get = op.irq_get_ioapic;
        // A PCI device's INTx pin is known once the device was found.
        const uint32_t pin = get.from_device ? pci_.intx_pin(get.from_device - 1) : get.pin;
        error = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, index,
                                          RootDepth, get.ioapic, pin, get.level, get.polarity,
                                          get.vector);
    } else {
        const auto& get = op.irq_get_msi;
        pci::Address address{uint8_t(get.pci_bus), uint8_t(get.pci_device), uint8_t(get.pci_function)};
        if (get.from_device)
            address = pci_.address(get.from_device - 1);
        error = seL4_IRQControl_GetMSI(seL4_CapIRQControl, seL4_CapInitThreadCNode, index, RootDepth,
                                       address.bus, address.device, address.function, get.handle,
                                       get.vector);
    }
    auto claimed = check(error, "claim an interrupt");
    if (!claimed) {
        (void)allocator_.slots().free(slot.value());
        return claimed;
    }
    const uint32_t handler = op.kind == TESSERA_OP_IRQ_GET_IOAPIC ? op.irq_get_ioapic.handler
                                                                 : op.irq_get_msi.handler;
    objects_table_[handler] = LoaderObject{slot.value(), 0, Where::Root, TESSERA_OBJECT_IRQ_HANDLER, 0, false};
    count_slot(+1);
    return {};
}

Result<void> Executor::ioport_issue(const struct tessera_op_ioport_issue& op)
{
    auto slot = allocator_.slots().allocate();
    if (!slot)
        return slot.error();
    auto issued = check(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, op.first_port, op.last_port,
                                                     seL4_CapInitThreadCNode, word(slot.value()),
                                                     RootDepth),
                        "issue an I/O port range");
    if (!issued) {
        (void)allocator_.slots().free(slot.value());
        return issued;
    }
    objects_table_[op.ioport] = LoaderObject{slot.value(), 0, Where::Root, TESSERA_OBJECT_IO_PORT, 0, false};
    count_slot(+1);
    return {};
}

Result<void> Executor::irq_set_notification(const struct tessera_op_irq_set_notification& op)
{
    // The handler keeps a copy of the badged capability it is given, so the loader's goes again.
    auto slot = allocator_.slots().allocate();
    if (!slot)
        return slot.error();
    const seL4_Word badged = word(slot.value());
    auto done = check(seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, RootDepth,
                                      seL4_CapInitThreadCNode,
                                      word(objects_table_[op.notification].cap), RootDepth,
                                      seL4_AllRights, op.badge),
                      "badge an interrupt's notification");
    if (done)
        done = check(seL4_IRQHandler_SetNotification(word(objects_table_[op.handler].cap), badged),
                     "deliver an interrupt to its notification");
    (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, badged, RootDepth);
    (void)allocator_.slots().free(slot.value());
    return done;
}

Result<void> Executor::mint_cap(const struct tessera_op_mint_cap& op)
{
    const LoaderObject& cnode = objects_table_[op.cnode];
    const LoaderObject& object = objects_table_[op.object];
    if (object.where == Where::Absent)
        return {}; // the slot stays empty
    const seL4_Word source = word(object.cap);
    if (object.kind == TESSERA_OBJECT_CNODE) {
        // A CNode handed to a PD resolves 64-bit cptrs like the PD's CSpace root does, so slot
        // numbers are cptrs at depth 64 through it too (docs/system-description.md).
        const seL4_CNode_CapData_t guard = seL4_CNode_CapData_new(0, seL4_WordBits - object.size_bits);
        return check(seL4_CNode_Mint(word(cnode.cap), op.slot, cnode.size_bits, seL4_CapInitThreadCNode,
                                     source, RootDepth, cap_rights(op.rights), guard.words[0]),
                     "mint a CNode capability into a protection domain");
    }
    if (op.badge == 0)
        return check(seL4_CNode_Copy(word(cnode.cap), op.slot, cnode.size_bits,
                                     seL4_CapInitThreadCNode, source, RootDepth, cap_rights(op.rights)),
                     "copy a capability into a protection domain");
    return check(seL4_CNode_Mint(word(cnode.cap), op.slot, cnode.size_bits, seL4_CapInitThreadCNode,
                                 source, RootDepth, cap_rights(op.rights), op.badge),
                 "mint a capability into a protection domain");
}

Result<void> Executor::tcb_configure(const struct tessera_op_tcb_configure& op)
{
    const LoaderObject& cspace = objects_table_[op.cspace];
    // The guard takes the bits the CNode does not resolve, so a thread's cptrs are plain slot
    // numbers at seL4's full depth of 64.
    const seL4_CNode_CapData_t guard = seL4_CNode_CapData_new(0, seL4_WordBits - cspace.size_bits);
    return check(seL4_TCB_Configure(word(objects_table_[op.tcb].cap), op.fault_endpoint,
                                    word(cspace.cap), guard.words[0],
                                    word(objects_table_[op.vspace].cap), 0, op.ipc_buffer_vaddr,
                                    word(objects_table_[op.ipc_buffer].cap)),
                 "configure a thread");
}

Result<void> Executor::tcb_write_registers(const struct tessera_op_tcb_write_registers& op)
{
    seL4_UserContext registers;
    memset(&registers, 0, sizeof registers);
    registers.rip = op.instruction_pointer;
    registers.rsp = op.stack_pointer;
    registers.rdi = op.argument;
    // Registers are written in seL4_UserContext order up to rdi, the last one the spec sets.
    constexpr seL4_Word Count = offsetof(seL4_UserContext, rdi) / sizeof(seL4_Word) + 1;
    return check(seL4_TCB_WriteRegisters(word(objects_table_[op.tcb].cap), 0, 0, Count, &registers),
                 "write a thread's registers");
}

// The VMM's thread runs the VCPU (seL4_VMEnter), in the guest's own physical address space.
Result<void> Executor::svm_vcpu_bind(const struct tessera_op_svm_vcpu_bind& op)
{
    const LoaderObject& vcpu = objects_table_[op.vcpu];
    if (vcpu.where == Where::Absent)
        return {};
    auto bound = check(tessera_X86_SVMVCPU_SetTCB(word(vcpu.cap), word(objects_table_[op.tcb].cap)),
                       "bind a VCPU to its VMM's thread");
    if (!bound)
        return bound;
    return check(tessera_X86_SVMVCPU_SetNPT(word(vcpu.cap), word(objects_table_[op.guest].cap)),
                 "give a VCPU its guest's memory");
}

} // namespace tessera::loader
