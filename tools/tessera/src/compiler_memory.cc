// The compiler's memory steps: region and PCI BAR frames, every address space's mappings, the
// paging structures they need, and each frame's contents written just before its mapping.
#include <algorithm>
#include <set>

#include "compiler_steps.h"

namespace tessera::sdf::compile {

uint32_t map_rights(uint8_t perms)
{
    return (perms & PermRead ? TESSERA_RIGHT_READ : 0) | (perms & PermWrite ? TESSERA_RIGHT_WRITE : 0) |
           (perms & PermExecute ? TESSERA_RIGHT_EXECUTE : 0);
}

// Memory regions: one frame per page, device frames at fixed addresses; a region whose physical
// address a program learns (setvar region_paddr) is one contiguous run. A prefilled region's
// pages are filled from a data entry of the image (after the programs') before their first
// mapping.
void Compiler::create_region_frames()
{
    std::set<std::string> contiguous;
    for (const auto& pd : pds_)
        for (const auto& setvar : pd.setvars)
            if (setvar.kind == SetVarKind::RegionPaddr)
                contiguous.insert(setvar.region);
    for (const auto& mr : system_.memory_regions) {
        const auto data_entry = static_cast<uint32_t>(1 + pds_.size() + prefilled_.size());
        if (!mr.prefill.empty())
            prefilled_.push_back(&mr);
        create_region_frames(mr, data_entry, contiguous.count(mr.name) != 0);
    }
}

void Compiler::create_region_frames(const MemoryRegion& mr, uint32_t data_entry, bool contiguous)
{
    SpecBuilder& spec = result_.spec;
    const tessera_object_kind kind = mr.page_size == PageSize2M ? TESSERA_OBJECT_FRAME_2M : TESSERA_OBJECT_FRAME_4K;
    const bool run = !mr.phys_addr && mr.page_count() > 1 && contiguous;
    const uint32_t first = spec.next_object();
    for (uint64_t page = 0; page < mr.page_count(); ++page) {
        const std::string name = page == 0 ? mr.name : "";
        const uint64_t paddr = mr.phys_addr ? *mr.phys_addr + page * mr.page_size : TESSERA_PADDR_ANY;
        const ObjectId frame =
            run ? spec.create_placed(kind, TESSERA_PLACE_CONTIGUOUS, TESSERA_PADDR_ANY, first,
                                     uint32_t(mr.page_count()), name)
                : spec.create(kind, 0, paddr, name);
        region_frames_[mr.name].push_back(frame);
        const uint64_t from = page * mr.page_size;
        if (page == 0 && mr.bootinfo != 0)
            region_fills_[frame] = RegionFill{0, 0, 0, mr.bootinfo};
        if (from < mr.prefill.size())
            region_fills_[frame] =
                RegionFill{data_entry, from, std::min<uint64_t>(mr.page_size, mr.prefill.size() - from)};
    }
}

// PCI BARs: device frames the loader places at the BAR's address (uncached), and each device's
// info page (read-only), which PCI_DESCRIBE fills just before it is mapped.
void Compiler::create_pci_frames()
{
    SpecBuilder& spec = result_.spec;
    for (size_t i = 0; i < pds_.size(); ++i)
        for (size_t d = 0; d < pds_[i].pci_devices.size(); ++d) {
            const PciDevice& device = pds_[i].pci_devices[d];
            const std::string name = pds_[i].name + "." + device.name;
            for (const auto& bar : device.bars)
                for (uint64_t offset = 0; offset < bar.size; offset += PageSize4K) {
                    const ObjectId frame = spec.create_placed(
                        TESSERA_OBJECT_FRAME_4K, TESSERA_PLACE_PCI_BAR, offset, pci_index_[i][d],
                        uint32_t(bar.index), offset == 0 ? name + ".bar" + std::to_string(bar.index) : "");
                    mappings_[i].push_back(Mapping{frame, bar.vaddr + offset, PageSize4K,
                                                   TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, false});
                }
            if (device.info_vaddr) {
                const ObjectId page = spec.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, name + ".info");
                mappings_[i].push_back(Mapping{page, *device.info_vaddr, PageSize4K, TESSERA_RIGHT_READ, true});
                info_pages_[page] = {pci_index_[i][d], &device};
            }
        }
}

void Compiler::map_regions(std::vector<Mapping>& into, const std::vector<Map>& maps)
{
    for (const auto& map : maps) {
        const MemoryRegion* mr = system_.find_mr(map.mr);
        const auto& frames = region_frames_[mr->name];
        for (size_t page = 0; page < frames.size(); ++page)
            into.push_back(Mapping{frames[page], map.vaddr + page * mr->page_size, mr->page_size,
                                   map_rights(map.perms), map.cached});
    }
}

void Compiler::map_all_regions()
{
    for (size_t i = 0; i < pds_.size(); ++i)
        map_regions(mappings_[i], pds_[i].maps);
    for (size_t g = 0; g < guests_.size(); ++g)
        map_regions(mappings_[pds_.size() + g], pds_[guests_[g].pd].virtual_machine->maps);
}

// A template's frames are filled but not mapped: the manager maps them into each child.
bool Compiler::has_address_space(size_t i) const
{
    return i >= pds_.size() || !pds_[i].manager_template;
}

// Paging structures each address space needs, then the address spaces themselves (their
// ASIDs), then the structures mapped into them.
void Compiler::create_address_spaces()
{
    std::vector<std::vector<Table>> tables(address_spaces_.size());
    for (size_t i = 0; i < address_spaces_.size(); ++i)
        if (has_address_space(i))
            tables[i] = create_tables(mappings_[i]);
    for (size_t i = 0; i < address_spaces_.size(); ++i) {
        if (!has_address_space(i))
            continue;
        union tessera_spec_op op = blank_op(TESSERA_OP_ASSIGN_ASID);
        op.assign_asid.vspace = raw(address_spaces_[i]);
        result_.spec.add(op);
    }
    for (size_t i = 0; i < address_spaces_.size(); ++i)
        for (const auto& table : tables[i]) {
            union tessera_spec_op op = blank_op(TESSERA_OP_MAP_TABLE);
            op.map_table.vspace = raw(address_spaces_[i]);
            op.map_table.table = raw(table.object);
            op.map_table.vaddr = table.vaddr;
            result_.spec.add(op);
        }
}

// Every PDPT, then every page directory, then every page table the mappings need (a 2 MiB
// frame needs no page table).
std::vector<Table> Compiler::create_tables(const std::vector<Mapping>& mappings)
{
    SpecBuilder& spec = result_.spec;
    std::set<uint64_t> pdpts, directories, page_tables;
    for (const auto& m : mappings) {
        pdpts.insert(m.vaddr >> 39 << 39);
        directories.insert(m.vaddr >> 30 << 30);
        if (m.bytes == PageSize4K)
            page_tables.insert(m.vaddr >> 21 << 21);
    }
    std::vector<Table> tables;
    for (uint64_t v : pdpts)
        tables.push_back({spec.create(TESSERA_OBJECT_PDPT, 0, TESSERA_PADDR_ANY, ""), v});
    for (uint64_t v : directories)
        tables.push_back({spec.create(TESSERA_OBJECT_PAGE_DIRECTORY, 0, TESSERA_PADDR_ANY, ""), v});
    for (uint64_t v : page_tables)
        tables.push_back({spec.create(TESSERA_OBJECT_PAGE_TABLE, 0, TESSERA_PADDR_ANY, ""), v});
    return tables;
}

// Program contents (entry 0 is the spec, entry 1 + i the program of protection domain i) go into
// each frame just before it is mapped, so a loader holds few unmapped frames at once. A guest's
// memory has no program pages.
void Compiler::fill_and_map_frames()
{
    for (size_t i = 0; i < address_spaces_.size(); ++i) {
        std::map<ObjectId, const ProgramPage*> contents;
        if (i < pds_.size())
            for (const auto& [page, entry] : program_pages_[i])
                contents[entry.first] = &entry.second;
        for (const auto& m : mappings_[i]) {
            const auto found = contents.find(m.frame);
            fill_frame(i, m, found != contents.end() ? found->second : nullptr);
            map_frame(i, m);
        }
    }
}

// What frame m.frame receives before its mapping: a region's prefill or BootInfo chunk (once,
// before its first mapping), a program page's parts of the file and then the physical addresses
// written into it (after the fills, which would overwrite them), a PCI device's description.
void Compiler::fill_frame(size_t i, const Mapping& m, const ProgramPage* contents)
{
    SpecBuilder& spec = result_.spec;
    if (auto fill = region_fills_.find(m.frame); fill != region_fills_.end()) {
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
        region_fills_.erase(fill);
    }
    if (contents) {
        for (const auto& fill : contents->fills) {
            union tessera_spec_op op = blank_op(TESSERA_OP_FILL_FRAME);
            op.fill_frame.entry = static_cast<uint32_t>(1 + i);
            op.fill_frame.frame = raw(m.frame);
            op.fill_frame.frame_offset = fill.frame_offset;
            op.fill_frame.entry_offset = fill.file_offset;
            op.fill_frame.length = fill.length;
            spec.add(op);
        }
        for (const auto& write : paddr_writes_[i])
            if (write.vaddr / PageSize4K * PageSize4K == m.vaddr) {
                union tessera_spec_op op = blank_op(TESSERA_OP_WRITE_PADDR);
                op.write_paddr.frame = raw(m.frame);
                op.write_paddr.source = raw(region_frames_[write.region].front());
                op.write_paddr.frame_offset = write.vaddr % PageSize4K;
                spec.add(op);
            }
    }
    if (auto info = info_pages_.find(m.frame); info != info_pages_.end()) {
        union tessera_spec_op op = blank_op(TESSERA_OP_PCI_DESCRIBE);
        op.pci_describe.device = info->second.first;
        op.pci_describe.frame = raw(m.frame);
        for (const auto& bar : info->second.second->bars)
            op.pci_describe.bar_vaddr[bar.index] = bar.vaddr;
        spec.add(op);
    }
}

// Maps the filled frame, or, for a template, holds it in the template's CNode for the manager.
void Compiler::map_frame(size_t i, const Mapping& m)
{
    if (!has_address_space(i)) {
        mint(objects_[i].cnode, template_frame_slots_[i][m.frame], m.frame, AllCapRights, 0);
        return;
    }
    union tessera_spec_op op = blank_op(TESSERA_OP_MAP_FRAME);
    op.map_frame.vspace = raw(address_spaces_[i]);
    op.map_frame.frame = raw(m.frame);
    op.map_frame.vaddr = m.vaddr;
    op.map_frame.rights = m.rights;
    op.map_frame.flags = m.cached ? TESSERA_MAP_CACHED : 0;
    result_.spec.add(op);
}

} // namespace tessera::sdf::compile
