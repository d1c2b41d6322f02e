// The compiler's object steps: PCI devices, each protection domain's objects and program frames,
// virtual machines, template CNodes and the dynamic managers' objects. Frames are created in the
// order they are later filled and mapped, which keeps a loader's unmapped frames few.
#include <algorithm>

#include "compiler_steps.h"

namespace tessera::sdf::compile {
namespace {

// PCI_FIND for one <pci_device>: how to find it and what to set up in it.
union tessera_spec_op pci_find_op(uint32_t index, const PciDevice& device)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_PCI_FIND);
    auto& find = op.pci_find;
    find.device = index;
    if (device.match.kind == pci::DeviceMatch::Kind::ByAddress) {
        find.match = TESSERA_PCI_MATCH_ADDRESS;
        find.bus = device.match.address.bus;
        find.slot = device.match.address.device;
        find.function = device.match.address.function;
    } else {
        find.match = TESSERA_PCI_MATCH_ID;
        find.vendor = device.match.vendor;
        find.device_id = device.match.device;
        find.instance = device.match.instance;
    }
    find.interrupt = device.interrupt == PciInterrupt::Intx   ? TESSERA_PCI_INTERRUPT_INTX
                     : device.interrupt == PciInterrupt::Msi  ? TESSERA_PCI_INTERRUPT_MSI
                     : device.interrupt == PciInterrupt::Msix ? TESSERA_PCI_INTERRUPT_MSIX
                                                              : TESSERA_PCI_INTERRUPT_NONE;
    find.vector = uint32_t(device.vector);
    find.msix_entry = uint32_t(device.msix_entry);
    // Memory decoding for the BARs it maps; bus mastering for DMA unless switched off.
    for (const auto& bar : device.bars)
        find.bar_pages[bar.index] = uint32_t(bar.size / PageSize4K);
    find.command = uint16_t((device.bars.empty() ? 0 : TESSERA_PCI_COMMAND_MEMORY) |
                            (device.bus_master ? TESSERA_PCI_COMMAND_BUS_MASTER : 0));
    return op;
}

} // namespace

// PCI devices are found at boot before anything refers to their BARs; pci_index_ keeps the
// index each device's later operations name.
void Compiler::find_pci_devices()
{
    pci_index_.resize(pds_.size());
    uint32_t pci_devices = 0;
    for (size_t i = 0; i < pds_.size(); ++i)
        for (const auto& device : pds_[i].pci_devices) {
            pci_index_[i].push_back(pci_devices);
            union tessera_spec_op op = pci_find_op(pci_devices++, device);
            op.pci_find.name = result_.spec.string(pds_[i].name + "/" + device.name);
            result_.spec.add(op);
        }
}

void Compiler::create_pd_objects()
{
    objects_.resize(pds_.size());
    mappings_.resize(pds_.size());
    program_pages_.resize(pds_.size());
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (pds_[i].manager_template) {
            create_template_objects(i);
            continue;
        }
        create_thread_objects(i);
        create_program_frames(i);
        create_stack_frames(i);
    }
}

// A template has only what other PDs and its interrupts signal; its CNode comes with its frames.
void Compiler::create_template_objects(size_t i)
{
    SpecBuilder& spec = result_.spec;
    const ProtectionDomain& pd = pds_[i];
    objects_[i].notification =
        spec.create(TESSERA_OBJECT_NOTIFICATION, 0, TESSERA_PADDR_ANY, pd.name + ".notification");
    if (needs_endpoint(i))
        objects_[i].endpoint = spec.create(TESSERA_OBJECT_ENDPOINT, 0, TESSERA_PADDR_ANY, pd.name + ".endpoint");
}

void Compiler::create_thread_objects(size_t i)
{
    SpecBuilder& spec = result_.spec;
    const ProtectionDomain& pd = pds_[i];
    PdObjects& o = objects_[i];
    o.tcb = spec.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, pd.name + ".tcb");
    o.cnode = spec.create(TESSERA_OBJECT_CNODE, pd.cnode_bits(), TESSERA_PADDR_ANY, pd.name + ".cspace");
    o.vspace = spec.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, pd.name + ".vspace");
    o.notification = spec.create(TESSERA_OBJECT_NOTIFICATION, 0, TESSERA_PADDR_ANY, pd.name + ".notification");
    if (needs_endpoint(i))
        o.endpoint = spec.create(TESSERA_OBJECT_ENDPOINT, 0, TESSERA_PADDR_ANY, pd.name + ".endpoint");
    o.ipc_buffer = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, pd.name + ".ipc_buffer");
    mappings_[i].push_back(Mapping{o.ipc_buffer, pd.ipc_buffer_vaddr(), PageSize4K,
                                   TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, true});
}

// A frame per page the program's segments touch, with the union of their rights and the parts
// of the file each page receives.
void Compiler::create_program_frames(size_t i)
{
    auto& pages = program_pages_[i];
    for (const auto& segment : programs_[i].segments()) {
        const uint64_t first = segment.vaddr & ~(PageSize4K - 1);
        for (uint64_t page = first; page < segment.vaddr + segment.memory_size; page += PageSize4K) {
            ProgramPage& p = pages[page].second;
            p.perms |= segment.perms;
            const uint64_t from = std::max(page, segment.vaddr);
            const uint64_t to = std::min(page + PageSize4K, segment.vaddr + segment.file_size);
            if (from < to)
                p.fills.push_back({from - page, segment.file_offset + (from - segment.vaddr), to - from});
        }
    }
    for (auto& [page, entry] : pages) {
        entry.first = result_.spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
        mappings_[i].push_back(Mapping{entry.first, page, PageSize4K,
                                       map_rights(entry.second.perms ? entry.second.perms : uint8_t(PermRead)),
                                       true});
    }
}

void Compiler::create_stack_frames(size_t i)
{
    const ProtectionDomain& pd = pds_[i];
    for (uint64_t page = pd.stack_bottom(); page < StackTop; page += PageSize4K) {
        const ObjectId frame = result_.spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY,
                                                   page == pd.stack_bottom() ? pd.name + ".stack" : "");
        mappings_[i].push_back(Mapping{frame, page, PageSize4K, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, true});
    }
}

// Virtual machines: a VCPU per <vcpu> and the guest's physical address space, appended to the
// address spaces after the PDs'.
void Compiler::create_guests()
{
    SpecBuilder& spec = result_.spec;
    for (const auto& o : objects_)
        address_spaces_.push_back(o.vspace);
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (!pds_[i].virtual_machine)
            continue;
        const VirtualMachine& vm = *pds_[i].virtual_machine;
        GuestObjects g{i, spec.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, vm.name + ".guest_memory"), {}};
        for (const auto& vcpu : vm.vcpus)
            g.vcpus.emplace_back(vcpu.id, spec.create(TESSERA_OBJECT_SVM_VCPU, 0, TESSERA_PADDR_ANY,
                                                      vm.name + ".vcpu" + std::to_string(vcpu.id)));
        address_spaces_.push_back(g.guest_memory);
        guests_.push_back(std::move(g));
    }
    mappings_.resize(address_spaces_.size());
}

// Templates: a CNode each, its frames from TESSERA_TEMPLATE_SLOT_FRAMES up (one slot per page
// of its mappings, in their order), then a frame of each region whose physical address it learns
// that it does not map.
void Compiler::create_template_cnodes()
{
    for (size_t i = 0; i < pds_.size(); ++i) {
        if (!pds_[i].manager_template)
            continue;
        auto& slots = template_frame_slots_[i];
        uint64_t next = TESSERA_TEMPLATE_SLOT_FRAMES;
        for (const Mapping& m : mappings_[i])
            slots.emplace(m.frame, next++);
        for (const auto& write : paddr_writes_[i])
            if (slots.emplace(region_frames_[write.region].front(), next).second)
                ++next;
        uint32_t bits = TESSERA_PD_CNODE_BITS_USER_CAPS;
        while ((uint64_t{1} << bits) < next)
            ++bits;
        objects_[i].cnode =
            result_.spec.create(TESSERA_OBJECT_CNODE, bits, TESSERA_PADDR_ANY, pds_[i].name + ".template");
    }
}

// Dynamic managers: their directory (a data entry after the prefills, mapped read-only), their
// RAM as untypeds and an ASID pool of their own. False when a directory could not be packed.
bool Compiler::create_managers()
{
    for (const ManagerElement& element : system_.managers) {
        const auto index = system_.pd_index(element.pd);
        if (!index || element.pd.empty())
            continue;
        create_manager(element, *index);
    }
    return diagnostics_.count() == errors_before_;
}

// The template table's entries are known once every capability is minted: its room is counted
// now (a run per mapping, per physical address, per Microkit capability).
size_t Compiler::template_cap_room(size_t pd) const
{
    const ProtectionDomain& p = pds_[pd];
    size_t room = mappings_[pd].size() + paddr_writes_[pd].size() + 2 + p.irqs.size() +
                  p.pci_devices.size() + p.ioports.size() + p.caps.size();
    for (const auto& channel : system_.channels)
        room += 2 * ((channel.a.pd == p.name) + (channel.b.pd == p.name));
    return room;
}

void Compiler::create_manager(const ManagerElement& element, size_t pd)
{
    SpecBuilder& spec = result_.spec;
    const std::vector<uint32_t> bits = manager_untyped_bits(element.ram);
    PackedTemplates packed;
    for (const auto& t : element.templates) {
        const size_t template_pd = *system_.pd_index(t.pd);
        packed.programs.push_back(programs_[template_pd].bytes());
        packed.cap_room += template_cap_room(template_pd);
    }
    auto blob = pack_manager_directory(element, pds_[pd].cnode_bits(), bits, packed,
                                       options_.search_paths, diagnostics_);
    if (!blob)
        return;
    ManagerObjects m{pd, {}, {}, std::move(packed), &element, std::move(*blob)};
    const auto data_entry = static_cast<uint32_t>(1 + pds_.size() + prefilled_.size() + managers_.size());
    for (uint64_t from = 0; from < m.directory.size(); from += PageSize4K) {
        const ObjectId frame = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY,
                                           from == 0 ? element.pd + ".manager_directory" : "");
        region_fills_[frame] = RegionFill{data_entry, from, PageSize4K};
        mappings_[pd].push_back(
            Mapping{frame, TESSERA_MANAGER_DIRECTORY_VADDR + from, PageSize4K, TESSERA_RIGHT_READ, true});
    }
    for (size_t u = 0; u < bits.size(); ++u)
        m.untypeds.push_back(spec.create(TESSERA_OBJECT_UNTYPED, bits[u], TESSERA_PADDR_ANY,
                                         u == 0 ? element.pd + ".manager_ram" : ""));
    m.asid_pool = spec.create(TESSERA_OBJECT_ASID_POOL, 0, TESSERA_PADDR_ANY, element.pd + ".asid_pool");
    managers_.push_back(std::move(m));
}

bool Compiler::needs_endpoint(size_t index) const
{
    const ProtectionDomain& pd = pds_[index];
    // A dynamic manager's children report their faults to its endpoint.
    if (pd.virtual_machine || pd.manager_cnode_bits != 0)
        return true;
    for (const auto& other : system_.protection_domains)
        if (other.parent == index)
            return true;
    for (const auto& channel : system_.channels)
        if ((channel.a.pp && channel.b.pd == pd.name) || (channel.b.pp && channel.a.pd == pd.name))
            return true;
    return false;
}

} // namespace tessera::sdf::compile
