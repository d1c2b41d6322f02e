// The spec compiler. Object creation comes first, then address spaces (ASIDs, tables, each
// frame's contents followed by its mapping), interrupts, capabilities, thread set-up and finally
// the resumes, so the loader never starts a thread whose world is incomplete.
#include "compiler.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "elf.h"
#include "interfaces_build.h"
#include "number.h"

namespace tessera::sdf {
namespace {

constexpr uint32_t AllCapRights =
    TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;
constexpr uint32_t CallRights = TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;

union tessera_spec_op blank(tessera_op_kind kind)
{
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = kind;
    return op;
}

uint32_t raw(ObjectId id) { return static_cast<uint32_t>(id); }

uint32_t map_rights(uint8_t perms)
{
    return (perms & PermRead ? TESSERA_RIGHT_READ : 0) | (perms & PermWrite ? TESSERA_RIGHT_WRITE : 0) |
           (perms & PermExecute ? TESSERA_RIGHT_EXECUTE : 0);
}

std::optional<std::vector<uint8_t>> read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
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

// A setvar region_paddr of a region the loader places: the variable at vaddr in the program
// receives the physical address of the region's (single) frame.
struct PaddrWrite {
    uint64_t vaddr;
    std::string region;
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
    union tessera_spec_op op = blank(TESSERA_OP_PCI_FIND);
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
    std::optional<ElfImage> load_program(const ProtectionDomain& pd);
    void check_against_program(const ProtectionDomain& pd, const ElfImage& elf);
    void apply_setvars(size_t index, ElfImage& elf);
    void apply_microkit_variables(size_t index, ElfImage& elf);
    bool needs_endpoint(size_t index) const;
    void mint(ObjectId cnode, uint64_t slot, ObjectId object, uint32_t rights, uint64_t badge);
    void deliver_interrupt(ObjectId handler, const PdObjects& pd, uint64_t id);

    const System& system_;
    const BuildOptions& options_;
    Diagnostics& diagnostics_;
    BuildResult result_;
    std::vector<std::vector<PaddrWrite>> paddr_writes_; // per protection domain
};

std::optional<ElfImage> Compiler::load_program(const ProtectionDomain& pd)
{
    std::vector<std::filesystem::path> candidates;
    const std::filesystem::path path(pd.program_image);
    if (path.is_absolute())
        candidates.push_back(path);
    for (const auto& directory : options_.search_paths)
        candidates.push_back(std::filesystem::path(directory) / path);
    for (const auto& candidate : candidates) {
        auto bytes = read_file(candidate);
        if (!bytes)
            continue;
        std::string why;
        auto elf = ElfImage::parse(std::move(*bytes), why);
        if (!elf)
            diagnostics_.error(pd.program_image_where, "program image '" + pd.program_image +
                                                           "' (" + candidate.string() + ") " + why);
        return elf;
    }
    std::string searched;
    for (const auto& directory : options_.search_paths)
        searched += (searched.empty() ? "" : ", ") + directory;
    diagnostics_.error(pd.program_image_where,
                       "program image '" + pd.program_image + "' not found in the search path (" +
                           (searched.empty() ? "none given; use --search-path" : searched) + ")");
    return std::nullopt;
}

void Compiler::check_against_program(const ProtectionDomain& pd, const ElfImage& elf)
{
    for (const auto& map : pd.maps) {
        const MemoryRegion* mr = system_.find_mr(map.mr);
        if (mr == nullptr)
            continue;
        for (const auto& segment : elf.segments()) {
            const uint64_t start = segment.vaddr & ~(PageSize4K - 1);
            const uint64_t end = (segment.vaddr + segment.memory_size + PageSize4K - 1) & ~(PageSize4K - 1);
            if (map.vaddr < end && start < map.vaddr + mr->size) {
                diagnostics_.error(map.where, "map of '" + mr->name + "' at [" + hex(map.vaddr) +
                                                  ", " + hex(map.vaddr + mr->size) +
                                                  ") overlaps the program image segment [" +
                                                  hex(start) + ", " + hex(end) + ") of '" +
                                                  pd.program_image + "'");
                break;
            }
        }
    }
    const uint64_t limit = pd.map_limit();
    for (const auto& segment : elf.segments())
        if (segment.vaddr + segment.memory_size > limit)
            diagnostics_.error(pd.program_image_where,
                               "program image '" + pd.program_image + "' has a segment ending at " +
                                   hex(segment.vaddr + segment.memory_size) +
                                   ", above the limit " + hex(limit) + " below the IPC buffer");
}

void Compiler::apply_setvars(size_t index, ElfImage& elf)
{
    const ProtectionDomain& pd = system_.protection_domains[index];
    for (const auto& setvar : pd.setvars) {
        if (setvar.kind == SetVarKind::String) {
            // The text and its NUL, the rest of the symbol zeroed.
            std::vector<uint8_t> bytes(setvar.text.begin(), setvar.text.end());
            bytes.push_back(0);
            auto symbol = elf.symbol(setvar.symbol);
            if (symbol && symbol->size > bytes.size())
                bytes.resize(symbol->size, 0);
            std::string why;
            if (!elf.patch_bytes(setvar.symbol, bytes, why))
                diagnostics_.error(setvar.where, "setvar: " + why + " '" + pd.program_image + "'");
            continue;
        }
        uint64_t value = setvar.value;
        const MemoryRegion* mr = system_.find_mr(setvar.region);
        if (setvar.kind == SetVarKind::Size && mr)
            value = mr->size;
        if (setvar.kind == SetVarKind::RegionPaddr && mr && mr->phys_addr)
            value = *mr->phys_addr;
        std::string why;
        if (!elf.patch(setvar.symbol, value, 8, why)) {
            diagnostics_.error(setvar.where, "setvar: " + why + " '" + pd.program_image + "'");
            continue;
        }
        // A region placed at boot: only the loader learns its address (WRITE_PADDR).
        if (setvar.kind == SetVarKind::RegionPaddr && mr && !mr->phys_addr) {
            const uint64_t vaddr = elf.symbol(setvar.symbol)->value;
            if (vaddr % PageSize4K > PageSize4K - 8)
                diagnostics_.error(setvar.where, "setvar: symbol '" + setvar.symbol +
                                                     "' straddles a page boundary in '" +
                                                     pd.program_image + "'");
            else
                paddr_writes_[index].push_back(PaddrWrite{vaddr, mr->name});
        }
    }
}

// libmicrokit reads its name and channel masks from variables the Microkit tool fills in; fill
// them when the program has them, so Microkit-built programs run unchanged.
void Compiler::apply_microkit_variables(size_t index, ElfImage& elf)
{
    const ProtectionDomain& pd = system_.protection_domains[index];
    uint64_t irqs = 0, notifications = 0, pps = 0;
    for (const auto& irq : pd.irqs)
        irqs |= uint64_t(1) << irq.id;
    for (const auto& device : pd.pci_devices)
        if (device.interrupt != PciInterrupt::None)
            irqs |= uint64_t(1) << device.irq_id;
    for (const auto& channel : system_.channels)
        for (const auto* end : {&channel.a, &channel.b}) {
            if (end->pd != pd.name)
                continue;
            notifications |= uint64_t(1) << end->id;
            // libmicrokit's microkit_ppcall accepts the channels this PD may call: its pp ends.
            if (end->pp)
                pps |= uint64_t(1) << end->id;
        }
    std::string ignored;
    if (auto name = elf.symbol("microkit_name")) {
        std::vector<uint8_t> bytes(name->size ? name->size : 64, 0);
        std::memcpy(bytes.data(), pd.name.data(), std::min(pd.name.size(), bytes.size() - 1));
        (void)elf.patch_bytes("microkit_name", bytes, ignored);
    }
    if (elf.symbol("microkit_irqs"))
        (void)elf.patch("microkit_irqs", irqs, 8, ignored);
    if (elf.symbol("microkit_notifications"))
        (void)elf.patch("microkit_notifications", notifications, 8, ignored);
    if (elf.symbol("microkit_pps"))
        (void)elf.patch("microkit_pps", pps, 8, ignored);
    if (elf.symbol("microkit_passive"))
        (void)elf.patch("microkit_passive", pd.passive ? 1 : 0, 1, ignored);
}

bool Compiler::needs_endpoint(size_t index) const
{
    const ProtectionDomain& pd = system_.protection_domains[index];
    if (pd.virtual_machine)
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
    union tessera_spec_op op = blank(TESSERA_OP_MINT_CAP);
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
    union tessera_spec_op op = blank(TESSERA_OP_IRQ_SET_NOTIFICATION);
    op.irq_set_notification.handler = raw(handler);
    op.irq_set_notification.notification = raw(pd.notification);
    op.irq_set_notification.badge = uint64_t(1) << id;
    result_.spec.add(op);
    mint(pd.cnode, TESSERA_PD_SLOT_IRQ_BASE + id, handler, AllCapRights, 0);
}

std::optional<BuildResult> Compiler::run()
{
    const size_t errors_before = diagnostics_.count();
    const auto& pds = system_.protection_domains;
    std::vector<ElfImage> programs;
    paddr_writes_.resize(pds.size());
    for (size_t i = 0; i < pds.size(); ++i) {
        if (pds[i].virtual_machine)
            diagnostics_.error(pds[i].virtual_machine->where,
                               "virtual machine '" + pds[i].virtual_machine->name +
                                   "' is not yet supported by 'tessera build'");
        auto elf = load_program(pds[i]);
        if (!elf)
            continue;
        check_against_program(pds[i], *elf);
        check_program_generations(system_, i, *elf, diagnostics_);
        apply_setvars(i, *elf);
        apply_microkit_variables(i, *elf);
        // Symbols and debug data stay behind: the image carries only what the loader copies.
        programs.push_back(elf->loadable_only());
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
        o.tcb = spec.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, pd.name + ".tcb");
        o.cnode = spec.create(TESSERA_OBJECT_CNODE, TESSERA_PD_CNODE_BITS, TESSERA_PADDR_ANY, pd.name + ".cspace");
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

    // 2. Memory regions: one frame per page, device frames at fixed addresses; a region whose
    // physical address a program learns (setvar region_paddr) is one contiguous run.
    std::set<std::string> contiguous;
    for (const auto& pd : pds)
        for (const auto& setvar : pd.setvars)
            if (setvar.kind == SetVarKind::RegionPaddr)
                contiguous.insert(setvar.region);
    std::map<std::string, std::vector<ObjectId>> region_frames;
    for (const auto& mr : system_.memory_regions) {
        const tessera_object_kind kind = mr.page_size == PageSize2M ? TESSERA_OBJECT_FRAME_2M : TESSERA_OBJECT_FRAME_4K;
        const bool run = !mr.phys_addr && mr.page_count() > 1 && contiguous.count(mr.name) != 0;
        const uint32_t first = spec.next_object();
        for (uint64_t page = 0; page < mr.page_count(); ++page) {
            const std::string name = page == 0 ? mr.name : "";
            if (run) {
                region_frames[mr.name].push_back(spec.create_placed(kind, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY,
                                                                    first, uint32_t(mr.page_count()), name));
                continue;
            }
            const uint64_t paddr = mr.phys_addr ? *mr.phys_addr + page * mr.page_size : TESSERA_PADDR_ANY;
            region_frames[mr.name].push_back(spec.create(kind, 0, paddr, name));
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
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& map : pds[i].maps) {
            const MemoryRegion* mr = system_.find_mr(map.mr);
            const auto& frames = region_frames[mr->name];
            for (size_t page = 0; page < frames.size(); ++page)
                mappings[i].push_back(Mapping{frames[page], map.vaddr + page * mr->page_size,
                                              mr->page_size, map_rights(map.perms), map.cached});
        }

    // 3. Paging structures each address space needs, then the address spaces themselves.
    struct Table {
        ObjectId object;
        uint64_t vaddr;
    };
    std::vector<std::vector<Table>> tables(pds.size());
    for (size_t i = 0; i < pds.size(); ++i) {
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
    for (size_t i = 0; i < pds.size(); ++i) {
        union tessera_spec_op op = blank(TESSERA_OP_ASSIGN_ASID);
        op.assign_asid.vspace = raw(objects[i].vspace);
        spec.add(op);
    }
    for (size_t i = 0; i < pds.size(); ++i)
        for (const auto& table : tables[i]) {
            union tessera_spec_op op = blank(TESSERA_OP_MAP_TABLE);
            op.map_table.vspace = raw(objects[i].vspace);
            op.map_table.table = raw(table.object);
            op.map_table.vaddr = table.vaddr;
            spec.add(op);
        }
    // Program contents (entry 0 is the spec, entry 1 + i the program of protection domain i) go
    // into each frame just before it is mapped, so a loader holds few unmapped frames at once.
    for (size_t i = 0; i < pds.size(); ++i) {
        std::map<ObjectId, const ProgramPage*> contents;
        for (const auto& [page, entry] : program_pages[i])
            contents[entry.first] = &entry.second;
        for (const auto& m : mappings[i]) {
            if (auto found = contents.find(m.frame); found != contents.end()) {
                for (const auto& fill : found->second->fills) {
                    union tessera_spec_op op = blank(TESSERA_OP_FILL_FRAME);
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
                        union tessera_spec_op op = blank(TESSERA_OP_WRITE_PADDR);
                        op.write_paddr.frame = raw(m.frame);
                        op.write_paddr.source = raw(region_frames[write.region].front());
                        op.write_paddr.frame_offset = write.vaddr % PageSize4K;
                        spec.add(op);
                    }
            }
            if (auto info = info_pages.find(m.frame); info != info_pages.end()) {
                union tessera_spec_op op = blank(TESSERA_OP_PCI_DESCRIBE);
                op.pci_describe.device = info->second.first;
                op.pci_describe.frame = raw(m.frame);
                for (const auto& bar : info->second.second->bars)
                    op.pci_describe.bar_vaddr[bar.index] = bar.vaddr;
                spec.add(op);
            }
            union tessera_spec_op op = blank(TESSERA_OP_MAP_FRAME);
            op.map_frame.vspace = raw(objects[i].vspace);
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
        if (!pds[i].parent)
            continue;
        const size_t parent = *pds[i].parent;
        mint(objects[parent].cnode, TESSERA_PD_SLOT_TCB_BASE + *pds[i].id, objects[i].tcb, AllCapRights, 0);
        mint(objects[i].cnode, TESSERA_PD_SLOT_FAULT_ENDPOINT, *objects[parent].endpoint, CallRights,
             TESSERA_BADGE_FAULT | *pds[i].id);
    }

    // 6. Threads.
    for (size_t i = 0; i < pds.size(); ++i) {
        const PdObjects& o = objects[i];
        union tessera_spec_op op = blank(TESSERA_OP_TCB_CONFIGURE);
        op.tcb_configure.tcb = raw(o.tcb);
        op.tcb_configure.cspace = raw(o.cnode);
        op.tcb_configure.vspace = raw(o.vspace);
        op.tcb_configure.ipc_buffer = raw(o.ipc_buffer);
        op.tcb_configure.ipc_buffer_vaddr = pds[i].ipc_buffer_vaddr();
        // Without a parent no fault handler: the kernel reports the fault with the thread's name.
        op.tcb_configure.fault_endpoint = pds[i].parent ? TESSERA_PD_SLOT_FAULT_ENDPOINT : 0;
        spec.add(op);

        op = blank(TESSERA_OP_TCB_SET_PRIORITY);
        op.tcb_set_priority.tcb = raw(o.tcb);
        op.tcb_set_priority.priority = static_cast<uint32_t>(pds[i].priority);
        op.tcb_set_priority.max_priority = static_cast<uint32_t>(pds[i].priority);
        spec.add(op);

        op = blank(TESSERA_OP_TCB_BIND_NOTIFICATION);
        op.tcb_bind_notification.tcb = raw(o.tcb);
        op.tcb_bind_notification.notification = raw(o.notification);
        spec.add(op);

        op = blank(TESSERA_OP_TCB_SET_NAME);
        op.tcb_set_name.tcb = raw(o.tcb);
        op.tcb_set_name.name = spec.string(pds[i].name);
        spec.add(op);

        op = blank(TESSERA_OP_TCB_WRITE_REGISTERS);
        op.tcb_write_registers.tcb = raw(o.tcb);
        op.tcb_write_registers.instruction_pointer = programs[i].entry();
        op.tcb_write_registers.stack_pointer = StackTop;
        // The PD runtime learns where its IPC buffer is from rdi (libmicrokit sets it up first).
        op.tcb_write_registers.argument = pds[i].ipc_buffer_vaddr();
        spec.add(op);
    }
    // Passive PDs start like the others: without MCS there is no scheduling context to take
    // away after init() (docs/decisions.md, "Passive protection domains without MCS").
    for (size_t i = 0; i < pds.size(); ++i) {
        union tessera_spec_op op = blank(TESSERA_OP_TCB_RESUME);
        op.tcb_resume.tcb = raw(objects[i].tcb);
        spec.add(op);
    }

    result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_SPEC, "spec", spec.serialise()});
    for (size_t i = 0; i < pds.size(); ++i)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_ELF, pds[i].name, programs[i].bytes()});
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
