// The spec compiler's state and its steps, in the order Compiler::run takes them. Private to the
// compiler's files (compiler*.cc): everything else goes through build_system (compiler.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler.h"
#include "elf.h"
#include "manager_pack.h"
#include "program.h"

namespace tessera::sdf::compile {

constexpr uint32_t AllCapRights =
    TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;
constexpr uint32_t CallRights = TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY;

inline uint32_t raw(ObjectId id) { return static_cast<uint32_t>(id); }

// The capability rights of a mapping with a description's permissions.
uint32_t map_rights(uint8_t perms);

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
    const ManagerElement* element;
    std::vector<uint8_t> directory; // the data entry the manager reads its templates from
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

// A paging structure and the address it translates.
struct Table {
    ObjectId object;
    uint64_t vaddr;
};

class Compiler {
public:
    Compiler(const System& system, const BuildOptions& options, Diagnostics& diagnostics)
        : system_(system), pds_(system.protection_domains), options_(options), diagnostics_(diagnostics)
    {
    }

    std::optional<BuildResult> run();

private:
    // Each step appends its objects and operations to the spec; the comments of the files that
    // define them say why the order is what it is.
    bool read_programs(); // compiler.cc
    void pack_image();

    void find_pci_devices(); // compiler_objects.cc
    void create_pd_objects();
    void create_template_objects(size_t i);
    void create_thread_objects(size_t i);
    void create_program_frames(size_t i);
    void create_stack_frames(size_t i);
    void create_guests();
    void create_template_cnodes();
    bool create_managers();
    size_t template_cap_room(size_t pd) const;
    void create_manager(const ManagerElement& element, size_t pd);
    bool needs_endpoint(size_t index) const;

    void create_region_frames(); // compiler_memory.cc
    void create_region_frames(const MemoryRegion& mr, uint32_t data_entry, bool contiguous);
    void create_pci_frames();
    void map_regions(std::vector<Mapping>& into, const std::vector<Map>& maps);
    void map_all_regions();
    void create_address_spaces();
    std::vector<Table> create_tables(const std::vector<Mapping>& mappings);
    void fill_and_map_frames();
    void fill_frame(size_t i, const Mapping& m, const ProgramPage* contents);
    void map_frame(size_t i, const Mapping& m);
    bool has_address_space(size_t i) const;

    void mint(ObjectId cnode, uint64_t slot, ObjectId object, uint32_t rights, uint64_t badge); // compiler_caps.cc
    void deliver_interrupt(ObjectId handler, const PdObjects& pd, uint64_t id);
    void create_interrupts();
    void create_pci_interrupts();
    void create_ioports();
    void mint_inputs();
    void mint_channels();
    void mint_children();
    void mint_manager_caps();
    void mint_template_caps();
    bool complete_template_tables();
    void add_template_caps(uint32_t t, size_t pd, std::vector<tessera_manager_template_cap>& table) const;
    void mint_vcpus();
    void mint_cspace_caps();

    void configure_threads(); // compiler_threads.cc
    void configure_thread(size_t i);
    void bind_vcpus();
    void resume_threads();
    void schedule_domains();

    const System& system_;
    const std::vector<ProtectionDomain>& pds_;
    const BuildOptions& options_;
    Diagnostics& diagnostics_;
    size_t errors_before_ = 0;
    BuildResult result_;

    // Per protection domain.
    std::vector<ElfImage> programs_;
    std::vector<std::vector<PaddrWrite>> paddr_writes_;
    std::vector<std::vector<uint32_t>> pci_index_; // each <pci_device>'s PCI_FIND index
    std::vector<PdObjects> objects_;
    std::vector<std::map<uint64_t, std::pair<ObjectId, ProgramPage>>> program_pages_;
    std::map<size_t, std::map<ObjectId, uint64_t>> template_frame_slots_; // pd -> frame -> slot

    // Per address space: the PDs' (pds_.size() of them) and then the guests', in guests_' order.
    std::vector<ObjectId> address_spaces_;
    std::vector<std::vector<Mapping>> mappings_;

    std::vector<GuestObjects> guests_;
    std::vector<ManagerObjects> managers_;
    std::map<std::string, std::vector<ObjectId>> region_frames_;
    std::map<ObjectId, RegionFill> region_fills_;
    std::vector<const MemoryRegion*> prefilled_;
    std::map<ObjectId, std::pair<uint32_t, const PciDevice*>> info_pages_; // PCI index, device
};

} // namespace tessera::sdf::compile
