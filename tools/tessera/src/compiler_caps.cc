// The compiler's capability steps: interrupt handlers, I/O ports, each PD's Microkit slots,
// channels, children, the dynamic managers' own capabilities and their template tables, VCPUs and
// <cspace> entries. All of them come after the address spaces and before the threads.
#include <set>

#include "compiler_steps.h"

namespace tessera::sdf::compile {

void Compiler::mint(ObjectId cnode, uint64_t slot, ObjectId object, uint32_t rights, uint64_t badge)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_MINT_CAP);
    op.mint_cap.cnode = raw(cnode);
    op.mint_cap.slot = slot;
    op.mint_cap.object = raw(object);
    op.mint_cap.rights = rights;
    op.mint_cap.badge = badge;
    result_.spec.add(op);
}

// An interrupt reaches its PD as a notification with the bit of its id; the PD holds the handler
// in its irq slot to acknowledge it.
void Compiler::deliver_interrupt(ObjectId handler, const PdObjects& pd, uint64_t id)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_IRQ_SET_NOTIFICATION);
    op.irq_set_notification.handler = raw(handler);
    op.irq_set_notification.notification = raw(pd.notification);
    op.irq_set_notification.badge = uint64_t(1) << id;
    result_.spec.add(op);
    mint(pd.cnode, TESSERA_PD_SLOT_IRQ_BASE + id, handler, AllCapRights, 0);
}

// A handler per <irq>, signalling the PD's notification with the irq's bit.
void Compiler::create_interrupts()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        for (const auto& irq : pds_[i].irqs) {
            const ObjectId handler =
                irq.kind == IrqKind::Msi
                    ? result_.spec.irq_msi(irq.pci_bus, irq.pci_device, irq.pci_function, irq.handle,
                                           static_cast<uint32_t>(irq.vector))
                    : result_.spec.irq_ioapic(static_cast<uint32_t>(irq.ioapic), static_cast<uint32_t>(irq.pin),
                                              irq.trigger == Trigger::Level, irq.polarity == Polarity::Low,
                                              static_cast<uint32_t>(irq.vector));
            deliver_interrupt(handler, objects_[i], irq.id);
        }
}

// PCI devices' interrupts: the loader learns the device's address or INTx pin at boot.
void Compiler::create_pci_interrupts()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        for (size_t d = 0; d < pds_[i].pci_devices.size(); ++d) {
            const PciDevice& device = pds_[i].pci_devices[d];
            if (device.interrupt == PciInterrupt::None)
                continue;
            const uint32_t from = pci_index_[i][d] + 1;
            // PCI INTx lines are level-triggered and, as QEMU's firmware routes them to the
            // I/O APIC, active high.
            const ObjectId handler =
                device.interrupt == PciInterrupt::Intx
                    ? result_.spec.irq_ioapic(0, 0, true, false, uint32_t(device.vector), from)
                    : result_.spec.irq_msi(0, 0, 0, device.msix_entry, uint32_t(device.vector), from);
            deliver_interrupt(handler, objects_[i], device.irq_id);
        }
}

// One capability per <ioport>, for exactly its range.
void Compiler::create_ioports()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        for (const auto& port : pds_[i].ioports) {
            const ObjectId ioport = result_.spec.ioport(static_cast<uint32_t>(port.addr),
                                                        static_cast<uint32_t>(port.addr + port.size - 1));
            mint(objects_[i].cnode, TESSERA_PD_SLOT_IOPORT_BASE + port.id, ioport, AllCapRights, 0);
        }
}

void Compiler::mint_inputs()
{
    for (size_t i = 0; i < pds_.size(); ++i) {
        const PdObjects& o = objects_[i];
        mint(o.cnode, TESSERA_PD_SLOT_INPUT, o.endpoint ? *o.endpoint : o.notification, AllCapRights, 0);
        // A PD whose input is its endpoint also gets its notification, to wait on while it
        // serves a call: a Recv on the endpoint would delete the caller's reply capability.
        if (o.endpoint)
            mint(o.cnode, TESSERA_PD_SLOT_NOTIFICATION, o.notification, TESSERA_RIGHT_READ, 0);
    }
}

void Compiler::mint_channels()
{
    for (const auto& channel : system_.channels) {
        const size_t a = *system_.pd_index(channel.a.pd), b = *system_.pd_index(channel.b.pd);
        for (auto [from, to, end, other] : {std::make_tuple(a, b, &channel.a, &channel.b),
                                            std::make_tuple(b, a, &channel.b, &channel.a)}) {
            if (end->notify)
                mint(objects_[from].cnode, TESSERA_PD_SLOT_NOTIFICATION_BASE + end->id,
                     objects_[to].notification, TESSERA_RIGHT_WRITE, uint64_t(1) << other->id);
            if (end->pp)
                mint(objects_[from].cnode, TESSERA_PD_SLOT_ENDPOINT_BASE + end->id, *objects_[to].endpoint,
                     CallRights, TESSERA_BADGE_PPC | other->id);
        }
    }
}

// A parent holds its children's TCBs; a child's faults go to its parent's endpoint. A template's
// children get the manager's fault endpoint from the manager.
void Compiler::mint_children()
{
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (!pds_[i].parent || pds_[i].manager_template)
            continue;
        const size_t parent = *pds_[i].parent;
        mint(objects_[parent].cnode, TESSERA_PD_SLOT_TCB_BASE + *pds_[i].id, objects_[i].tcb, AllCapRights, 0);
        mint(objects_[i].cnode, TESSERA_PD_SLOT_FAULT_ENDPOINT, *objects_[parent].endpoint, CallRights,
             TESSERA_BADGE_FAULT | *pds_[i].id);
    }
}

// A manager holds its own CNode, address space and TCB, its pool and its RAM.
void Compiler::mint_manager_caps()
{
    for (const ManagerObjects& m : managers_) {
        const PdObjects& o = objects_[m.pd];
        mint(o.cnode, TESSERA_MANAGER_SLOT_CNODE, o.cnode, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_VSPACE, o.vspace, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_TCB, o.tcb, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_ASID_POOL, m.asid_pool, AllCapRights, 0);
        for (size_t u = 0; u < m.untypeds.size(); ++u)
            mint(o.cnode, TESSERA_MANAGER_SLOT_UNTYPED_BASE + u, m.untypeds[u], AllCapRights, 0);
    }
}

// Templates: their notification to bind and the frames of the physical addresses they learn
// that they do not map.
void Compiler::mint_template_caps()
{
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (!pds_[i].manager_template)
            continue;
        mint(objects_[i].cnode, TESSERA_TEMPLATE_SLOT_NOTIFICATION, objects_[i].notification, AllCapRights, 0);
        std::set<ObjectId> mapped;
        for (const Mapping& m : mappings_[i])
            mapped.insert(m.frame);
        for (const auto& write : paddr_writes_[i]) {
            const ObjectId frame = region_frames_[write.region].front();
            if (mapped.insert(frame).second)
                mint(objects_[i].cnode, template_frame_slots_[i][frame], frame, AllCapRights, 0);
        }
    }
}

// The templates' CNodes in their manager's, after which the table of what each holds is
// complete and the manager's directory is packed again with it, in the room counted for it.
bool Compiler::complete_template_tables()
{
    for (ManagerObjects& manager : managers_) {
        const ManagerElement& element = *manager.element;
        for (size_t t = 0; t < element.templates.size(); ++t) {
            const size_t i = *system_.pd_index(element.templates[t].pd);
            mint(objects_[manager.pd].cnode, TESSERA_MANAGER_SLOT_TEMPLATE_BASE + t, objects_[i].cnode,
                 AllCapRights, 0);
            add_template_caps(uint32_t(t), i, manager.templates.caps);
        }
        if (element.templates.empty())
            continue;
        const std::vector<uint32_t> bits = manager_untyped_bits(element.ram);
        auto blob = pack_manager_directory(element, pds_[manager.pd].cnode_bits(), bits, manager.templates,
                                           options_.search_paths, diagnostics_);
        if (!blob || blob->size() != manager.directory.size() ||
            manager.templates.caps.size() > manager.templates.cap_room) {
            diagnostics_.error(element.where, "internal: the manager's template table outgrew its room");
            return false;
        }
        manager.directory = std::move(*blob);
    }
    return true;
}

// What a child made from template t (protection domain pd) gets: runs of its Microkit slots
// (read back from the mints into its CNode), runs of frames mapped at consecutive addresses
// alike, and the physical addresses to write into its program.
void Compiler::add_template_caps(uint32_t t, size_t pd, std::vector<tessera_manager_template_cap>& table) const
{
    const ObjectId cnode = objects_[pd].cnode;
    const auto& frame_slots = template_frame_slots_.at(pd);
    std::set<uint64_t> slots;
    for (const auto& op : result_.spec.ops())
        if (op.kind == TESSERA_OP_MINT_CAP && op.mint_cap.cnode == raw(cnode) &&
            op.mint_cap.slot < TESSERA_TEMPLATE_SLOT_NOTIFICATION)
            slots.insert(op.mint_cap.slot);
    tessera_manager_template_cap* last = nullptr;
    for (uint64_t slot : slots) {
        if (last && last->slot + last->count == slot) {
            ++last->count;
            continue;
        }
        table.push_back(tessera_manager_template_cap{t, TESSERA_TEMPLATE_CAP_CAPS, uint32_t(slot), 1, 0, 0, 0});
        last = &table.back();
    }
    last = nullptr;
    uint64_t last_bytes = 0;
    for (const Mapping& m : mappings_[pd]) {
        const uint32_t slot = uint32_t(frame_slots.at(m.frame));
        const uint32_t flags = (m.cached ? TESSERA_MAP_CACHED : 0u) | (m.bytes == PageSize2M ? 21u : 12u) << 8;
        if (last && last->slot + last->count == slot && last->vaddr + last->count * last_bytes == m.vaddr &&
            last->rights == m.rights && last->flags == flags) {
            ++last->count;
            continue;
        }
        table.push_back(
            tessera_manager_template_cap{t, TESSERA_TEMPLATE_CAP_FRAMES, slot, 1, m.vaddr, m.rights, flags});
        last = &table.back();
        last_bytes = m.bytes;
    }
    for (const auto& write : paddr_writes_[pd])
        table.push_back(tessera_manager_template_cap{
            t, TESSERA_TEMPLATE_CAP_PADDR, uint32_t(frame_slots.at(region_frames_.at(write.region).front())), 1,
            write.vaddr, 0, 0});
}

// Each VCPU in its VMM's CNode, where libmicrokit finds it (BASE_VCPU_CAP + id).
void Compiler::mint_vcpus()
{
    for (const GuestObjects& g : guests_)
        for (const auto& [id, vcpu] : g.vcpus)
            mint(objects_[g.pd].cnode, TESSERA_PD_SLOT_VCPU_BASE + id, vcpu, AllCapRights, 0);
}

// <cspace> capabilities of other PDs' objects. A scheduling context exists only with MCS: its
// slot stays empty (docs/microkit.md).
void Compiler::mint_cspace_caps()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        for (const auto& cap : pds_[i].caps) {
            const PdObjects& of = objects_[*system_.pd_index(cap.pd)];
            if (cap.kind == CapKind::SchedulingContext)
                continue;
            mint(objects_[i].cnode, TESSERA_PD_SLOT_USER_BASE + cap.slot,
                 cap.kind == CapKind::Tcb ? of.tcb : of.vspace, AllCapRights, 0);
        }
}

} // namespace tessera::sdf::compile
