// The spec compiler. Object creation comes first, then address spaces (ASIDs, tables, each
// frame's contents followed by its mapping), interrupts, capabilities, thread set-up and finally
// the resumes, so the loader never starts a thread whose world is incomplete.
#include "compiler.h"

#include <cstring>
#include <map>
#include <set>

#include "elf.h"
#include "interfaces_build.h"
#include "manager_pack.h"
#include "number.h"
#include "program.h"

namespace tessera::sdf {
namespace {

constexpr uint32_t AllCapRights =
    TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;
constexpr uint32_t CallRights = TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;

uint32_t raw(ObjectId id) { return static_cast<uint32_t>(id); }

uint32_t map_rights(uint8_t perms)
{
    return (perms & PermRead ? TESSERA_RIGHT_READ : 0) | (perms & PermWrite ? TESSERA_RIGHT_WRITE : 0) |
           (perms & PermExecute ? TESSERA_RIGHT_EXECUTE : 0);
}

// One page of a program image: the union of its segments' rights and what to copy into it.
struct ProgramPage {
    uint8_t perms = 0;
    struct Fill {
        uint64_t frame_offset, file_offset, length;
    };
    std::vector<Fill> fills;
};

struct PdObjects {
    ObjectId tcb{}, cnode{}, vspace{}, notification{}, ipc_buffer{};
    std::optional<ObjectId> endpoint;
};

// A <virtual_machine> of protection domain `pd`: its VCPUs (with their ids) and the address
// space holding its guest-physical memory, the nested page table its VCPUs run in.
struct GuestObjects {
    size_t pd;
    ObjectId guest_memory;
    std::vector<std::pair<uint64_t, ObjectId>> vcpus;
};

// What a dynamic manager's PD holds besides a PD's usual objects.
struct ManagerObjects {
    size_t pd;
    std::vector<ObjectId> untypeds;
    ObjectId asid_pool;
    PackedTemplates templates; // their table is filled in once their CNodes are
};

// The part of a prefill file one region frame receives, or the BootInfo chunk it receives.
struct RegionFill {
    uint32_t entry;
    uint64_t offset, length;
    uint32_t bootinfo = 0; // a SEL4_BOOTINFO_HEADER_* id instead of a file
};

struct Mapping {
    ObjectId frame;
    uint64_t vaddr;
    uint64_t bytes;
    uint32_t rights;
    bool cached;
};

// PCI_FIND for one <pci_device>: how to find it and what to set up in it.
union tessera_spec_op pci_find_op(uint32_t index, const ProtectionDomain& pd, const PciDevice& device)
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
    (void)pd;
    return op;
}

class Compiler {
public:
    Compiler(const System& system, const BuildOptions& options, Diagnostics& diagnostics)
        : system_(system), options_(options), diagnostics_(diagnostics)
    {
    }

    std::optional<BuildResult> run();

private:
    bool needs_endpoint(size_t index) const;
    void mint(ObjectId cnode, uint64_t slot, ObjectId object, uint32_t rights, uint64_t badge);
    void deliver_interrupt(ObjectId handler, const PdObjects& pd, uint64_t id);
    void add_template_caps(uint32_t t, ObjectId cnode, const std::vector<Mapping>& mappings,
                           const std::vector<PaddrWrite>& paddr_writes,
                           const std::map<ObjectId, uint64_t>& frame_slots,
                           const std::map<std::string, std::vector<ObjectId>>& region_frames,
                           std::vector<tessera_manager_template_cap>& table) const;

    const System& system_;
    const BuildOptions& options_;
    Diagnostics& diagnostics_;
    BuildResult result_;
    std::vector<std::vector<PaddrWrite>> paddr_writes_; // per protection domain
};

bool Compiler::needs_endpoint(size_t index) const
{
    const ProtectionDomain& pd = system_.protection_domains[index];
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

// What a child made from template t gets: runs of its Microkit slots (read back from the mints
// into its CNode), runs of frames mapped at consecutive addresses alike, and the physical
// addresses to write into its program.
void Compiler::add_template_caps(uint32_t t, ObjectId cnode, const std::vector<Mapping>& mappings,
                                 const std::vector<PaddrWrite>& paddr_writes,
                                 const std::map<ObjectId, uint64_t>& frame_slots,
                                 const std::map<std::string, std::vector<ObjectId>>& region_frames,
                                 std::vector<tessera_manager_template_cap>& table) const
{
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
    for (const Mapping& m : mappings) {
        const uint32_t slot = uint32_t(frame_slots.at(m.frame));
        const uint32_t flags = (m.cached ? TESSERA_MAP_CACHED : 0u) |
                               (m.bytes == PageSize2M ? 21u : 12u) << 8;
        if (last && last->slot + last->count == slot && last->vaddr + last->count * last_bytes == m.vaddr &&
            last->rights == m.rights && last->flags == flags) {
            ++last->count;
            continue;
        }
        table.push_back(tessera_manager_template_cap{t, TESSERA_TEMPLATE_CAP_FRAMES, slot, 1, m.vaddr,
                                                     m.rights, flags});
        last = &table.back();
        last_bytes = m.bytes;
    }
    for (const auto& write : paddr_writes)
        table.push_back(tessera_manager_template_cap{
            t, TESSERA_TEMPLATE_CAP_PADDR, uint32_t(frame_slots.at(region_frames.at(write.region).front())),
            1, write.vaddr, 0, 0});
}

std::optional<BuildResult> Compiler::run()
{
    const size_t errors_before = diagnostics_.count();
    const auto& pds = system_.protection_domains;
    std::vector<ElfImage> programs;
    paddr_writes_.resize(pds.size());
    for (size_t i = 0; i < pds.size(); ++i) {
        auto program = prepare_program(system_, i, options_.search_paths, MissingProgram::Error,
                                       diagnostics_);
        if (!program)
            continue;
        paddr_writes_[i] = std::move(program->paddr_writes);
        check_program_generations(system_, i, program->elf, diagnostics_);
        // Symbols and debug data stay behind: the image carries only what the loader copies. A
        // template's program is loaded by the manager's ELF loader, which wants a valid ELF file.
        programs.push_back(program->elf.loadable_only(pds[i].manager_template
                                                          ? ElfImage::Packing::PageCongruent
                                                          : ElfImage::Packing::Compact));
    }
    if (diagnostics_.count() != errors_before)
        return std::nullopt;

    SpecBuilder& spec = result_.spec;
    // 0. PCI devices, found at boot before anything refers to their BARs.
    std::vector<std::vector<uint32_t>> pci_index(pds.size());
    uint32_t pci_devices = 0;
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& device : pds[i].pci_devices) {
            pci_index[i].push_back(pci_devices);
            union tessera_spec_op op = pci_find_op(pci_devices++, pds[i], device);
            op.pci_find.name = spec.string(pds[i].name + "/" + device.name);
            spec.add(op);
        }

    std::vector<PdObjects> objects(pds.size());
    std::vector<std::vector<Mapping>> mappings(pds.size());
    std::vector<std::map<uint64_t, std::pair<ObjectId, ProgramPage>>> program_pages(pds.size());

    // 1. Objects of each protection domain.
    for (size_t i = 0; i < pds.size(); ++i) {
        const ProtectionDomain& pd = pds[i];
        PdObjects& o = objects[i];
        if (pd.manager_template) {
            // Only what other PDs and its interrupts signal; its CNode comes with its frames.
            o.notification = spec.create(TESSERA_OBJECT_NOTIFICATION, 0, TESSERA_PADDR_ANY, pd.name + ".notification");
            if (needs_endpoint(i))
                o.endpoint = spec.create(TESSERA_OBJECT_ENDPOINT, 0, TESSERA_PADDR_ANY, pd.name + ".endpoint");
            continue;
        }
        o.tcb = spec.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, pd.name + ".tcb");
        o.cnode = spec.create(TESSERA_OBJECT_CNODE, pd.cnode_bits(), TESSERA_PADDR_ANY, pd.name + ".cspace");
        o.vspace = spec.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, pd.name + ".vspace");
        o.notification = spec.create(TESSERA_OBJECT_NOTIFICATION, 0, TESSERA_PADDR_ANY, pd.name + ".notification");
        if (needs_endpoint(i))
            o.endpoint = spec.create(TESSERA_OBJECT_ENDPOINT, 0, TESSERA_PADDR_ANY, pd.name + ".endpoint");
        o.ipc_buffer = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, pd.name + ".ipc_buffer");
        mappings[i].push_back(Mapping{o.ipc_buffer, pd.ipc_buffer_vaddr(), PageSize4K,
                                      TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, true});

        auto& pages = program_pages[i];
        for (const auto& segment : programs[i].segments()) {
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
            entry.first = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
            mappings[i].push_back(Mapping{entry.first, page, PageSize4K,
                                          map_rights(entry.second.perms ? entry.second.perms : uint8_t(PermRead)), true});
        }
        for (uint64_t page = pd.stack_bottom(); page < StackTop; page += PageSize4K) {
            const ObjectId frame = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY,
                                               page == pd.stack_bottom() ? pd.name + ".stack" : "");
            mappings[i].push_back(Mapping{frame, page, PageSize4K, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, true});
        }
    }

    // Virtual machines: a VCPU per <vcpu> and the guest's physical address space. Address spaces
    // pds.size() and up in `mappings` are the guests', in this order.
    std::vector<GuestObjects> guests;
    std::vector<ObjectId> address_spaces;
    for (const auto& o : objects)
        address_spaces.push_back(o.vspace);
    for (size_t i = 0; i < pds.size(); ++i) {
        if (!pds[i].virtual_machine)
            continue;
        const VirtualMachine& vm = *pds[i].virtual_machine;
        GuestObjects g{i, spec.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, vm.name + ".guest_memory"), {}};
        for (const auto& vcpu : vm.vcpus)
            g.vcpus.emplace_back(vcpu.id, spec.create(TESSERA_OBJECT_SVM_VCPU, 0, TESSERA_PADDR_ANY,
                                                      vm.name + ".vcpu" + std::to_string(vcpu.id)));
        address_spaces.push_back(g.guest_memory);
        guests.push_back(std::move(g));
    }
    mappings.resize(address_spaces.size());

    // 2. Memory regions: one frame per page, device frames at fixed addresses; a region whose
    // physical address a program learns (setvar region_paddr) is one contiguous run. A prefilled
    // region's pages are filled from a data entry of the image before their first mapping.
    std::set<std::string> contiguous;
    for (const auto& pd : pds)
        for (const auto& setvar : pd.setvars)
            if (setvar.kind == SetVarKind::RegionPaddr)
                contiguous.insert(setvar.region);
    std::map<std::string, std::vector<ObjectId>> region_frames;
    std::map<ObjectId, RegionFill> region_fills;
    std::vector<const MemoryRegion*> prefilled;
    for (const auto& mr : system_.memory_regions) {
        const tessera_object_kind kind = mr.page_size == PageSize2M ? TESSERA_OBJECT_FRAME_2M : TESSERA_OBJECT_FRAME_4K;
        const uint32_t data_entry = static_cast<uint32_t>(1 + pds.size() + prefilled.size());
        if (!mr.prefill.empty())
            prefilled.push_back(&mr);
        const bool run = !mr.phys_addr && mr.page_count() > 1 && contiguous.count(mr.name) != 0;
        const uint32_t first = spec.next_object();
        for (uint64_t page = 0; page < mr.page_count(); ++page) {
            const std::string name = page == 0 ? mr.name : "";
            const uint64_t paddr = mr.phys_addr ? *mr.phys_addr + page * mr.page_size : TESSERA_PADDR_ANY;
            const ObjectId frame =
                run ? spec.create_placed(kind, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, first,
                                         uint32_t(mr.page_count()), name)
                    : spec.create(kind, 0, paddr, name);
            region_frames[mr.name].push_back(frame);
            const uint64_t from = page * mr.page_size;
            if (page == 0 && mr.bootinfo != 0)
                region_fills[frame] = RegionFill{0, 0, 0, mr.bootinfo};
            if (from < mr.prefill.size())
                region_fills[frame] = RegionFill{data_entry, from,
                                                 std::min<uint64_t>(mr.page_size, mr.prefill.size() - from)};
        }
    }
    // PCI BARs: device frames the loader places at the BAR's address (uncached), and each
    // device's info page (read-only), which PCI_DESCRIBE fills just before it is mapped.
    std::map<ObjectId, std::pair<uint32_t, const PciDevice*>> info_pages;
    for (size_t i = 0; i < pds.size(); ++i)
        for (size_t d = 0; d < pds[i].pci_devices.size(); ++d) {
            const PciDevice& device = pds[i].pci_devices[d];
            for (const auto& bar : device.bars)
                for (uint64_t offset = 0; offset < bar.size; offset += PageSize4K) {
                    const ObjectId frame = spec.create_placed(
                        TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, offset, pci_index[i][d], uint32_t(bar.index),
                        offset == 0 ? pds[i].name + "." + device.name + ".bar" + std::to_string(bar.index) : "");
                    mappings[i].push_back(Mapping{frame, bar.vaddr + offset, PageSize4K,
                                                  TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, false});
                }
            if (device.info_vaddr) {
                const ObjectId page = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY,
                                                  pds[i].name + "." + device.name + ".info");
                mappings[i].push_back(Mapping{page, *device.info_vaddr, PageSize4K, TESSERA_RIGHT_READ, true});
                info_pages[page] = {pci_index[i][d], &device};
            }
        }
    auto map_regions = [&](std::vector<Mapping>& into, const std::vector<Map>& maps) {
        for (const auto& map : maps) {
            const MemoryRegion* mr = system_.find_mr(map.mr);
            const auto& frames = region_frames[mr->name];
            for (size_t page = 0; page < frames.size(); ++page)
                into.push_back(Mapping{frames[page], map.vaddr + page * mr->page_size,
                                       mr->page_size, map_rights(map.perms), map.cached});
        }
    };
    for (size_t i = 0; i < pds.size(); ++i)
        map_regions(mappings[i], pds[i].maps);
    for (size_t g = 0; g < guests.size(); ++g)
        map_regions(mappings[pds.size() + g], pds[guests[g].pd].virtual_machine->maps);

    // Templates: a CNode each, its frames from TESSERA_TEMPLATE_SLOT_FRAMES up (one slot per
    // page of its mappings, in their order), then a frame of each region whose physical address
    // it learns that it does not map.
    std::map<size_t, std::map<ObjectId, uint64_t>> template_frame_slots; // pd -> frame -> slot
    for (size_t i = 0; i < pds.size(); ++i) {
        if (!pds[i].manager_template) continue;
        auto& slots = template_frame_slots[i];
        uint64_t next = TESSERA_TEMPLATE_SLOT_FRAMES;
        for (const Mapping& m : mappings[i])
            slots.emplace(m.frame, next++);
        for (const auto& write : paddr_writes_[i])
            if (slots.emplace(region_frames[write.region].front(), next).second) ++next;
        uint32_t bits = TESSERA_PD_CNODE_BITS_USER_CAPS;
        while ((uint64_t{1} << bits) < next) ++bits;
        objects[i].cnode = spec.create(TESSERA_OBJECT_CNODE, bits, TESSERA_PADDR_ANY, pds[i].name + ".template");
    }

    // Dynamic managers: their directory (a data entry after the prefills, mapped read-only),
    // their RAM as untypeds and an ASID pool of their own.
    std::vector<ManagerObjects> managers;
    std::vector<std::vector<uint8_t>> manager_blobs;
    std::vector<const ManagerElement*> manager_elements;
    for (const ManagerElement& element : system_.managers) {
        const auto index = system_.pd_index(element.pd);
        if (!index || element.pd.empty())
            continue;
        const std::vector<uint32_t> bits = manager_untyped_bits(element.ram);
        // The template table's entries are known once every capability is minted: its room is
        // counted now (a run per mapping, per physical address, per Microkit capability).
        PackedTemplates packed;
        for (const auto& t : element.templates) {
            const size_t pd = *system_.pd_index(t.pd);
            packed.programs.push_back(programs[pd].bytes());
            const ProtectionDomain& p = pds[pd];
            packed.cap_room += mappings[pd].size() + paddr_writes_[pd].size() + 2 + p.irqs.size() +
                               p.pci_devices.size() + p.ioports.size() + p.caps.size();
            for (const auto& channel : system_.channels)
                packed.cap_room += 2 * ((channel.a.pd == p.name) + (channel.b.pd == p.name));
        }
        auto blob = pack_manager_directory(element, pds[*index].cnode_bits(), bits, packed,
                                           options_.search_paths, diagnostics_);
        if (!blob)
            continue;
        ManagerObjects m{*index, {}, {}, std::move(packed)};
        const uint32_t data_entry =
            static_cast<uint32_t>(1 + pds.size() + prefilled.size() + manager_blobs.size());
        for (uint64_t from = 0; from < blob->size(); from += PageSize4K) {
            const ObjectId frame = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY,
                                               from == 0 ? element.pd + ".manager_directory" : "");
            region_fills[frame] = RegionFill{data_entry, from, PageSize4K};
            mappings[*index].push_back(Mapping{frame, TESSERA_MANAGER_DIRECTORY_VADDR + from,
                                               PageSize4K, TESSERA_RIGHT_READ, true});
        }
        for (size_t u = 0; u < bits.size(); ++u)
            m.untypeds.push_back(spec.create(TESSERA_OBJECT_UNTYPED, bits[u], TESSERA_PADDR_ANY,
                                             u == 0 ? element.pd + ".manager_ram" : ""));
        m.asid_pool = spec.create(TESSERA_OBJECT_ASID_POOL, 0, TESSERA_PADDR_ANY, element.pd + ".asid_pool");
        managers.push_back(std::move(m));
        manager_elements.push_back(&element);
        manager_blobs.push_back(std::move(*blob));
    }
    if (diagnostics_.count() != errors_before)
        return std::nullopt;
    // 3. Paging structures each address space needs, then the address spaces themselves.
    struct Table {
        ObjectId object;
        uint64_t vaddr;
    };
    std::vector<std::vector<Table>> tables(address_spaces.size());
    auto has_address_space = [&](size_t i) { return i >= pds.size() || !pds[i].manager_template; };
    for (size_t i = 0; i < address_spaces.size(); ++i) {
        if (!has_address_space(i)) continue;
        std::set<uint64_t> pdpts, directories, page_tables;
        for (const auto& m : mappings[i]) {
            pdpts.insert(m.vaddr >> 39 << 39);
            directories.insert(m.vaddr >> 30 << 30);
            if (m.bytes == PageSize4K)
                page_tables.insert(m.vaddr >> 21 << 21);
        }
        for (uint64_t v : pdpts)
            tables[i].push_back({spec.create(TESSERA_OBJECT_PDPT, 0, TESSERA_PADDR_ANY, ""), v});
        for (uint64_t v : directories)
            tables[i].push_back({spec.create(TESSERA_OBJECT_PAGE_DIRECTORY, 0, TESSERA_PADDR_ANY, ""), v});
        for (uint64_t v : page_tables)
            tables[i].push_back({spec.create(TESSERA_OBJECT_PAGE_TABLE, 0, TESSERA_PADDR_ANY, ""), v});
    }
    for (size_t i = 0; i < address_spaces.size(); ++i) {
        if (!has_address_space(i)) continue;
        union tessera_spec_op op = blank_op(TESSERA_OP_ASSIGN_ASID);
        op.assign_asid.vspace = raw(address_spaces[i]);
        spec.add(op);
    }
    for (size_t i = 0; i < address_spaces.size(); ++i)
        for (const auto& table : tables[i]) {
            union tessera_spec_op op = blank_op(TESSERA_OP_MAP_TABLE);
            op.map_table.vspace = raw(address_spaces[i]);
            op.map_table.table = raw(table.object);
            op.map_table.vaddr = table.vaddr;
            spec.add(op);
        }
    // Program contents (entry 0 is the spec, entry 1 + i the program of protection domain i) go
    // into each frame just before it is mapped, so a loader holds few unmapped frames at once.
    // A guest's memory has no program pages.
    for (size_t i = 0; i < address_spaces.size(); ++i) {
        std::map<ObjectId, const ProgramPage*> contents;
        if (i < pds.size())
            for (const auto& [page, entry] : program_pages[i])
                contents[entry.first] = &entry.second;
        for (const auto& m : mappings[i]) {
            if (auto fill = region_fills.find(m.frame); fill != region_fills.end()) {
                union tessera_spec_op op = blank_op(TESSERA_OP_FILL_FRAME);
                op.fill_frame.entry = fill->second.entry;
                op.fill_frame.frame = raw(m.frame);
                op.fill_frame.entry_offset = fill->second.offset;
                op.fill_frame.length = fill->second.length;
                if (fill->second.bootinfo != 0) {
                    op = blank_op(TESSERA_OP_FILL_BOOTINFO);
                    op.fill_bootinfo.frame = raw(m.frame);
                    op.fill_bootinfo.chunk = fill->second.bootinfo;
                }
                spec.add(op);
                region_fills.erase(fill); // once, before the first mapping
            }
            if (auto found = contents.find(m.frame); found != contents.end()) {
                for (const auto& fill : found->second->fills) {
                    union tessera_spec_op op = blank_op(TESSERA_OP_FILL_FRAME);
                    op.fill_frame.entry = static_cast<uint32_t>(1 + i);
                    op.fill_frame.frame = raw(m.frame);
                    op.fill_frame.frame_offset = fill.frame_offset;
                    op.fill_frame.entry_offset = fill.file_offset;
                    op.fill_frame.length = fill.length;
                    spec.add(op);
                }
                // After the fills, which would overwrite it; before the mapping.
                for (const auto& write : paddr_writes_[i])
                    if (write.vaddr / PageSize4K * PageSize4K == m.vaddr) {
                        union tessera_spec_op op = blank_op(TESSERA_OP_WRITE_PADDR);
                        op.write_paddr.frame = raw(m.frame);
                        op.write_paddr.source = raw(region_frames[write.region].front());
                        op.write_paddr.frame_offset = write.vaddr % PageSize4K;
                        spec.add(op);
                    }
            }
            if (auto info = info_pages.find(m.frame); info != info_pages.end()) {
                union tessera_spec_op op = blank_op(TESSERA_OP_PCI_DESCRIBE);
                op.pci_describe.device = info->second.first;
                op.pci_describe.frame = raw(m.frame);
                for (const auto& bar : info->second.second->bars)
                    op.pci_describe.bar_vaddr[bar.index] = bar.vaddr;
                spec.add(op);
            }
            if (!has_address_space(i)) { // filled as above, then held for the manager
                mint(objects[i].cnode, template_frame_slots[i][m.frame], m.frame, AllCapRights, 0);
                continue;
            }
            union tessera_spec_op op = blank_op(TESSERA_OP_MAP_FRAME);
            op.map_frame.vspace = raw(address_spaces[i]);
            op.map_frame.frame = raw(m.frame);
            op.map_frame.vaddr = m.vaddr;
            op.map_frame.rights = m.rights;
            op.map_frame.flags = m.cached ? TESSERA_MAP_CACHED : 0;
            spec.add(op);
        }
    }

    // 4. Interrupts: a handler per irq, signalling the PD's notification with the irq's bit.
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& irq : pds[i].irqs) {
            const ObjectId handler =
                irq.kind == IrqKind::Msi
                    ? spec.irq_msi(irq.pci_bus, irq.pci_device, irq.pci_function, irq.handle,
                                   static_cast<uint32_t>(irq.vector))
                    : spec.irq_ioapic(static_cast<uint32_t>(irq.ioapic), static_cast<uint32_t>(irq.pin),
                                      irq.trigger == Trigger::Level, irq.polarity == Polarity::Low,
                                      static_cast<uint32_t>(irq.vector));
            deliver_interrupt(handler, objects[i], irq.id);
        }

    // PCI devices' interrupts: the loader learns the device's address or INTx pin at boot.
    for (size_t i = 0; i < pds.size(); ++i)
        for (size_t d = 0; d < pds[i].pci_devices.size(); ++d) {
            const PciDevice& device = pds[i].pci_devices[d];
            if (device.interrupt == PciInterrupt::None)
                continue;
            const uint32_t from = pci_index[i][d] + 1;
            // PCI INTx lines are level-triggered and, as QEMU's firmware routes them to the
            // I/O APIC, active high.
            const ObjectId handler =
                device.interrupt == PciInterrupt::Intx
                    ? spec.irq_ioapic(0, 0, true, false, uint32_t(device.vector), from)
                    : spec.irq_msi(0, 0, 0, device.msix_entry, uint32_t(device.vector), from);
            deliver_interrupt(handler, objects[i], device.irq_id);
        }

    // I/O ports: one capability per <ioport>, for exactly its range.
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& port : pds[i].ioports) {
            const ObjectId ioport = spec.ioport(static_cast<uint32_t>(port.addr),
                                                static_cast<uint32_t>(port.addr + port.size - 1));
            mint(objects[i].cnode, TESSERA_PD_SLOT_IOPORT_BASE + port.id, ioport, AllCapRights, 0);
        }

    // 5. Capabilities: input, channels, children and their fault endpoints.
    for (size_t i = 0; i < pds.size(); ++i) {
        mint(objects[i].cnode, TESSERA_PD_SLOT_INPUT,
             objects[i].endpoint ? *objects[i].endpoint : objects[i].notification, AllCapRights, 0);
        // A PD whose input is its endpoint also gets its notification, to wait on while it
        // serves a call: a Recv on the endpoint would delete the caller's reply capability.
        if (objects[i].endpoint)
            mint(objects[i].cnode, TESSERA_PD_SLOT_NOTIFICATION, objects[i].notification,
                 TESSERA_RIGHT_READ, 0);
    }
    for (const auto& channel : system_.channels) {
        const size_t a = *system_.pd_index(channel.a.pd), b = *system_.pd_index(channel.b.pd);
        for (auto [from, to, end, other] : {std::make_tuple(a, b, &channel.a, &channel.b),
                                            std::make_tuple(b, a, &channel.b, &channel.a)}) {
            if (end->notify)
                mint(objects[from].cnode, TESSERA_PD_SLOT_NOTIFICATION_BASE + end->id,
                     objects[to].notification, TESSERA_RIGHT_WRITE, uint64_t(1) << other->id);
            if (end->pp)
                mint(objects[from].cnode, TESSERA_PD_SLOT_ENDPOINT_BASE + end->id,
                     *objects[to].endpoint, CallRights, TESSERA_BADGE_PPC | other->id);
        }
    }
    for (size_t i = 0; i < pds.size(); ++i) {
        // A template's children get the manager's fault endpoint from the manager.
        if (!pds[i].parent || pds[i].manager_template)
            continue;
        const size_t parent = *pds[i].parent;
        mint(objects[parent].cnode, TESSERA_PD_SLOT_TCB_BASE + *pds[i].id, objects[i].tcb, AllCapRights, 0);
        mint(objects[i].cnode, TESSERA_PD_SLOT_FAULT_ENDPOINT, *objects[parent].endpoint, CallRights,
             TESSERA_BADGE_FAULT | *pds[i].id);
    }

    // A manager holds its own CNode, address space and TCB, its pool and its RAM.
    for (const ManagerObjects& m : managers) {
        const PdObjects& o = objects[m.pd];
        mint(o.cnode, TESSERA_MANAGER_SLOT_CNODE, o.cnode, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_VSPACE, o.vspace, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_TCB, o.tcb, AllCapRights, 0);
        mint(o.cnode, TESSERA_MANAGER_SLOT_ASID_POOL, m.asid_pool, AllCapRights, 0);
        for (size_t u = 0; u < m.untypeds.size(); ++u)
            mint(o.cnode, TESSERA_MANAGER_SLOT_UNTYPED_BASE + u, m.untypeds[u], AllCapRights, 0);
    }
    // Templates: their notification to bind, the frames of the physical addresses they learn,
    // and their CNodes in the manager's, after which the table of what they hold is complete.
    for (size_t i = 0; i < pds.size(); ++i) {
        if (!pds[i].manager_template) continue;
        mint(objects[i].cnode, TESSERA_TEMPLATE_SLOT_NOTIFICATION, objects[i].notification, AllCapRights, 0);
        std::set<ObjectId> mapped;
        for (const Mapping& m : mappings[i]) mapped.insert(m.frame);
        for (const auto& write : paddr_writes_[i]) {
            const ObjectId frame = region_frames[write.region].front();
            if (mapped.insert(frame).second)
                mint(objects[i].cnode, template_frame_slots[i][frame], frame, AllCapRights, 0);
        }
    }
    for (size_t m = 0; m < managers.size(); ++m) {
        const ManagerElement& element = *manager_elements[m];
        ManagerObjects& manager = managers[m];
        for (size_t t = 0; t < element.templates.size(); ++t) {
            const size_t i = *system_.pd_index(element.templates[t].pd);
            mint(objects[manager.pd].cnode, TESSERA_MANAGER_SLOT_TEMPLATE_BASE + t, objects[i].cnode,
                 AllCapRights, 0);
            add_template_caps(uint32_t(t), objects[i].cnode, mappings[i], paddr_writes_[i],
                              template_frame_slots[i], region_frames, manager.templates.caps);
        }
        if (element.templates.empty()) continue;
        const std::vector<uint32_t> bits = manager_untyped_bits(element.ram);
        auto blob = pack_manager_directory(element, pds[manager.pd].cnode_bits(), bits, manager.templates,
                                           options_.search_paths, diagnostics_);
        if (!blob || blob->size() != manager_blobs[m].size() ||
            manager.templates.caps.size() > manager.templates.cap_room) {
            diagnostics_.error(element.where, "internal: the manager's template table outgrew its room");
            return std::nullopt;
        }
        manager_blobs[m] = std::move(*blob);
    }

    // Each VCPU in its VMM's CNode, where libmicrokit finds it (BASE_VCPU_CAP + id).
    for (const GuestObjects& g : guests)
        for (const auto& [id, vcpu] : g.vcpus)
            mint(objects[g.pd].cnode, TESSERA_PD_SLOT_VCPU_BASE + id, vcpu, AllCapRights, 0);

    // <cspace> capabilities of other PDs' objects. A scheduling context exists only with MCS:
    // its slot stays empty (docs/microkit.md).
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& cap : pds[i].caps) {
            const PdObjects& of = objects[*system_.pd_index(cap.pd)];
            if (cap.kind == CapKind::SchedulingContext)
                continue;
            mint(objects[i].cnode, TESSERA_PD_SLOT_USER_BASE + cap.slot,
                 cap.kind == CapKind::Tcb ? of.tcb : of.vspace, AllCapRights, 0);
        }

    // 6. Threads.
    for (size_t i = 0; i < pds.size(); ++i) {
        if (pds[i].manager_template) continue; // no thread: the manager starts children from it
        const PdObjects& o = objects[i];
        union tessera_spec_op op = blank_op(TESSERA_OP_TCB_CONFIGURE);
        op.tcb_configure.tcb = raw(o.tcb);
        op.tcb_configure.cspace = raw(o.cnode);
        op.tcb_configure.vspace = raw(o.vspace);
        op.tcb_configure.ipc_buffer = raw(o.ipc_buffer);
        op.tcb_configure.ipc_buffer_vaddr = pds[i].ipc_buffer_vaddr();
        // Without a parent no fault handler: the kernel reports the fault with the thread's name.
        op.tcb_configure.fault_endpoint = pds[i].parent ? TESSERA_PD_SLOT_FAULT_ENDPOINT : 0;
        spec.add(op);

        op = blank_op(TESSERA_OP_TCB_SET_PRIORITY);
        op.tcb_set_priority.tcb = raw(o.tcb);
        op.tcb_set_priority.priority = static_cast<uint32_t>(pds[i].priority);
        op.tcb_set_priority.max_priority = static_cast<uint32_t>(pds[i].priority);
        spec.add(op);

        if (!pds[i].fpu) {
            op = blank_op(TESSERA_OP_TCB_SET_FLAGS);
            op.tcb_set_flags.tcb = raw(o.tcb);
            op.tcb_set_flags.set = TESSERA_TCB_FLAG_FPU_DISABLED;
            spec.add(op);
        }

        if (system_.domains) { // before it starts, so it first runs in its own domain's turn
            op = blank_op(TESSERA_OP_DOMAIN_SET);
            op.domain_set.tcb = raw(o.tcb);
            op.domain_set.domain = static_cast<uint32_t>(pds[i].domain_id);
            spec.add(op);
        }

        op = blank_op(TESSERA_OP_TCB_BIND_NOTIFICATION);
        op.tcb_bind_notification.tcb = raw(o.tcb);
        op.tcb_bind_notification.notification = raw(o.notification);
        spec.add(op);

        op = blank_op(TESSERA_OP_TCB_SET_NAME);
        op.tcb_set_name.tcb = raw(o.tcb);
        op.tcb_set_name.name = spec.string(pds[i].name);
        spec.add(op);

        op = blank_op(TESSERA_OP_TCB_WRITE_REGISTERS);
        op.tcb_write_registers.tcb = raw(o.tcb);
        op.tcb_write_registers.instruction_pointer = programs[i].entry();
        op.tcb_write_registers.stack_pointer = StackTop;
        // The PD runtime learns where its IPC buffer is from rdi (libmicrokit sets it up first).
        op.tcb_write_registers.argument = pds[i].ipc_buffer_vaddr();
        spec.add(op);
    }
    // VCPUs run on their VMM's configured thread, in their guest's memory.
    for (const GuestObjects& g : guests)
        for (const auto& vcpu : g.vcpus) {
            union tessera_spec_op op = blank_op(TESSERA_OP_SVM_VCPU_BIND);
            op.svm_vcpu_bind.vcpu = raw(vcpu.second);
            op.svm_vcpu_bind.tcb = raw(objects[g.pd].tcb);
            op.svm_vcpu_bind.guest = raw(g.guest_memory);
            spec.add(op);
        }
    // Passive PDs start like the others: without MCS there is no scheduling context to take
    // away after init() (docs/decisions.md, "Passive protection domains without MCS").
    for (size_t i = 0; i < pds.size(); ++i) {
        if (pds[i].manager_template) continue;
        union tessera_spec_op op = blank_op(TESSERA_OP_TCB_RESUME);
        op.tcb_resume.tcb = raw(objects[i].tcb);
        spec.add(op);
    }
    // 7. The domain schedule, at index_shift in the kernel's table; the loader starts it last.
    if (system_.domains) {
        const Domains& domains = *system_.domains;
        for (size_t e = 0; e < domains.schedule.size(); ++e) {
            union tessera_spec_op op = blank_op(TESSERA_OP_DOMAIN_SCHEDULE);
            op.domain_schedule.index = static_cast<uint32_t>(domains.index_shift + e);
            op.domain_schedule.domain = static_cast<uint32_t>(domains.schedule[e].domain_id);
            op.domain_schedule.duration = domains.schedule[e].ticks;
            spec.add(op);
        }
        union tessera_spec_op op = blank_op(TESSERA_OP_DOMAIN_START);
        op.domain_start.index = static_cast<uint32_t>(domains.index_shift + domains.start_index);
        spec.add(op);
    }

    result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_SPEC, "spec", spec.serialise()});
    for (size_t i = 0; i < pds.size(); ++i)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_ELF, pds[i].name, programs[i].bytes()});
    for (const MemoryRegion* mr : prefilled)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_DATA, mr->name, mr->prefill});
    for (size_t m = 0; m < managers.size(); ++m)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_DATA, pds[managers[m].pd].name + ".manager",
                                          std::move(manager_blobs[m])});
    result_.image = write_image(result_.blobs);
    return std::move(result_);
}

} // namespace

std::optional<BuildResult> build_system(const System& system, const BuildOptions& options,
                                        Diagnostics& diagnostics)
{
    return Compiler(system, options, diagnostics).run();
}

} // namespace tessera::sdf
