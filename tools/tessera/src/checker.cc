// The cross-element rules of a Microkit description, each reported at the later of two
// conflicting elements, naming the earlier one's location.
#include "checker.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "checker_pci.h"
#include "number.h"
#include "parser.h"
#include "program.h"

namespace tessera::sdf {
namespace {

// Guest-physical addresses a nested page table maps: the lower half of a 4-level PML4.
constexpr uint64_t GuestPhysicalLimit = uint64_t(1) << 47;

uint64_t saturating_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

class Checker {
public:
    Checker(const System& system, Diagnostics& diagnostics)
        : system_(system), diagnostics_(diagnostics)
    {
    }

    void run()
    {
        unique_names();
        for (const auto& pd : system_.protection_domains) {
            maps(pd);
            setvars(pd);
            if (pd.virtual_machine)
                virtual_machine(pd, *pd.virtual_machine);
        }
        ids();
        channels();
        irqs();
        ioports();
        caps();
        physical_regions();
        machine_memory();
        check_pci_devices(system_, diagnostics_);
    }

private:
    void error(Location where, std::string message) { diagnostics_.error(where, std::move(message)); }
    std::string at(Location where) const { return diagnostics_.where(where); }

    void unique_names()
    {
        std::map<std::string, Location> pds;
        for (const auto& pd : system_.protection_domains) {
            if (pd.name.empty())
                continue;
            auto [first, inserted] = pds.emplace(pd.name, pd.where);
            if (!inserted)
                error(pd.where, "duplicate protection domain name '" + pd.name +
                                    "', first defined at " + at(first->second));
        }
        std::map<std::string, Location> mrs;
        for (const auto& mr : system_.memory_regions) {
            auto [first, inserted] = mrs.emplace(mr.name, mr.where);
            if (!inserted)
                error(mr.where, "duplicate memory region name '" + mr.name +
                                    "', first defined at " + at(first->second));
        }
    }

    void maps(const ProtectionDomain& pd)
    {
        maps(pd.maps, pd.map_limit(), "user",
             "of protection domain '" + pd.name + "' (its IPC buffer and stack lie above)");
    }

    // A map outside [0, limit) is "outside the <range> address range [0x0, limit) <owner>".
    void maps(const std::vector<Map>& all, uint64_t limit, const char* range, const std::string& owner)
    {
        struct Placed {
            uint64_t start, end;
            const Map* map;
        };
        std::vector<Placed> placed;
        for (const auto& map : all) {
            const MemoryRegion* mr = system_.find_mr(map.mr);
            if (mr == nullptr) {
                error(map.where, "map refers to unknown memory region '" + map.mr + "'");
                continue;
            }
            if (map.vaddr % mr->page_size != 0) {
                error(map.where, "vaddr " + hex(map.vaddr) + " is not aligned to the page size " +
                                     hex(mr->page_size) + " of memory region '" + mr->name + "'");
                continue;
            }
            if (map.vaddr >= limit || mr->size > limit - map.vaddr) {
                error(map.where, "map of '" + mr->name + "' at [" + hex(map.vaddr) + ", " +
                                     hex(map.vaddr + mr->size) +
                                     ") is outside the " + range + " address range [0x0, " + hex(limit) +
                                     ") " + owner);
                continue;
            }
            placed.push_back(Placed{map.vaddr, map.vaddr + mr->size, &map});
        }
        // Reported at the map written later, naming the earlier one.
        for (size_t i = 0; i < placed.size(); ++i)
            for (size_t j = 0; j < i; ++j)
                if (placed[i].start < placed[j].end && placed[j].start < placed[i].end) {
                    error(placed[i].map->where,
                          "map of '" + placed[i].map->mr + "' at [" + hex(placed[i].start) + ", " +
                              hex(placed[i].end) + ") overlaps the map of '" + placed[j].map->mr +
                              "' at [" + hex(placed[j].start) + ", " + hex(placed[j].end) +
                              ") (" + at(placed[j].map->where) + ")");
                    break;
                }
    }

    // A virtual machine's VCPU runs on its VMM's thread (seL4_VMEnter, as Microkit binds an x86
    // VCPU to the VMM's TCB), so one VCPU per VMM (ids are 0-61, as the parser checks); its maps
    // are guest-physical.
    void virtual_machine(const ProtectionDomain& pd, const VirtualMachine& vm)
    {
        if (vm.vcpus.size() > 1)
            error(vm.vcpus[1].where, "virtual machine '" + vm.name + "' has " +
                                         std::to_string(vm.vcpus.size()) +
                                         " <vcpu>s; Tessera runs one, on the thread of protection domain '" +
                                         pd.name + "'");
        maps(vm.maps, GuestPhysicalLimit, "guest-physical", "of virtual machine '" + vm.name + "'");
    }

    void setvars(const ProtectionDomain& pd)
    {
        std::map<std::string, Location> symbols;
        for (const auto& setvar : pd.setvars) {
            auto [first, inserted] = symbols.emplace(setvar.symbol, setvar.where);
            if (!inserted)
                error(setvar.where, "setvar symbol '" + setvar.symbol +
                                        "' is already set in protection domain '" + pd.name +
                                        "' at " + at(first->second));
            if (setvar.kind == SetVarKind::PrefillSize) {
                const MemoryRegion* mr = system_.find_mr(setvar.region);
                if (mr != nullptr && mr->prefill_path.empty())
                    error(setvar.where, "setvar_prefill_size needs memory region '" + setvar.region +
                                            "' to have a prefill_path");
            }
            // A map's setvar_size names the map's region, which maps() reports if unknown.
            if (setvar.kind == SetVarKind::Size && system_.find_mr(setvar.region) == nullptr &&
                std::none_of(pd.maps.begin(), pd.maps.end(), [&](const Map& m) { return m.mr == setvar.region; }))
                error(setvar.where, "setvar refers to unknown memory region '" + setvar.region + "'");
            if (setvar.kind == SetVarKind::RegionPaddr) {
                const MemoryRegion* mr = system_.find_mr(setvar.region);
                if (mr == nullptr)
                    error(setvar.where, "setvar refers to unknown memory region '" +
                                            setvar.region + "'");
                // A region placed at boot whose physical address a program learns is placed
                // physically contiguous by the loader (docs/decisions.md), whatever its size.
            }
        }
    }

    // Channel ends and irqs share one id space per protection domain; child ids have their own.
    void ids()
    {
        std::map<std::pair<size_t, uint64_t>, Location> used;
        auto claim = [&](size_t pd, uint64_t id, Location where, const char* what) {
            auto [first, inserted] = used.emplace(std::make_pair(pd, id), where);
            if (!inserted)
                error(where, std::string(what) + " id " + std::to_string(id) +
                                 " is already used in protection domain '" +
                                 system_.protection_domains[pd].name + "' at " + at(first->second));
        };
        // In file order, so the later use is the one reported.
        struct Use {
            size_t pd;
            uint64_t id;
            Location where;
            const char* what;
        };
        std::vector<Use> uses;
        for (size_t i = 0; i < system_.protection_domains.size(); ++i)
            for (const auto& irq : system_.protection_domains[i].irqs)
                uses.push_back(Use{i, irq.id, irq.where, "irq"});
        for (const auto& channel : system_.channels)
            for (const ChannelEnd* end : {&channel.a, &channel.b})
                if (auto pd = system_.pd_index(end->pd))
                    uses.push_back(Use{*pd, end->id, end->where, "channel"});
        std::stable_sort(uses.begin(), uses.end(),
                         [](const Use& a, const Use& b) { return a.where < b.where; });
        for (const auto& use : uses)
            claim(use.pd, use.id, use.where, use.what);

        std::map<std::pair<size_t, uint64_t>, Location> children;
        for (const auto& pd : system_.protection_domains) {
            if (!pd.parent || !pd.id)
                continue;
            auto [first, inserted] = children.emplace(std::make_pair(*pd.parent, *pd.id), pd.where);
            if (!inserted)
                error(pd.where, "child id " + std::to_string(*pd.id) +
                                    " is already used in protection domain '" +
                                    system_.protection_domains[*pd.parent].name + "' at " +
                                    at(first->second));
        }
    }

    void channels()
    {
        for (const auto& channel : system_.channels) {
            const ProtectionDomain* a = system_.find_pd(channel.a.pd);
            const ProtectionDomain* b = system_.find_pd(channel.b.pd);
            for (const ChannelEnd* end : {&channel.a, &channel.b})
                if (system_.find_pd(end->pd) == nullptr)
                    error(end->where, "channel end refers to unknown protection domain '" +
                                          end->pd + "'");
            if (a == nullptr || b == nullptr)
                continue;
            if (a == b) {
                error(channel.where, "channel connects protection domain '" + a->name +
                                         "' to itself, expected two different ones");
                continue;
            }
            // Microkit: a protected procedure runs at a strictly higher priority than its
            // caller, which rules out deadlock through call cycles.
            const ChannelEnd& caller = channel.a.pp ? channel.a : channel.b;
            if (!caller.pp)
                continue;
            const ProtectionDomain* from = caller.pd == a->name ? a : b;
            const ProtectionDomain* to = from == a ? b : a;
            if (to->priority <= from->priority)
                error(caller.where, "protected procedure call from '" + from->name +
                                        "' (priority " + std::to_string(from->priority) +
                                        ") to '" + to->name + "' (priority " +
                                        std::to_string(to->priority) +
                                        ") must go to a strictly higher priority");
        }
    }

    void irqs()
    {
        std::map<std::tuple<int, uint64_t, uint64_t, uint64_t>, std::pair<Location, std::string>> lines;
        std::map<uint64_t, std::pair<Location, std::string>> vectors;
        for (const auto& pd : system_.protection_domains)
            for (const auto& irq : pd.irqs) {
                const auto line =
                    irq.kind == IrqKind::Msi
                        ? std::make_tuple(1, uint64_t(irq.pci_bus) << 16 | irq.pci_device << 8 |
                                                 irq.pci_function,
                                          irq.handle, uint64_t(0))
                        : std::make_tuple(0, irq.ioapic, irq.pin, uint64_t(0));
                const std::string what = irq.kind == IrqKind::Msi
                                             ? "MSI handle " + std::to_string(irq.handle)
                                             : "I/O APIC " + std::to_string(irq.ioapic) + " pin " +
                                                   std::to_string(irq.pin);
                if (auto [first, inserted] = lines.emplace(line, std::make_pair(irq.where, pd.name));
                    !inserted) {
                    error(irq.where, "irq (" + what + ") is already claimed by protection domain '" +
                                         first->second.second + "' at " + at(first->second.first));
                    continue;
                }
                if (auto [first, inserted] =
                        vectors.emplace(irq.vector, std::make_pair(irq.where, pd.name));
                    !inserted)
                    error(irq.where, "irq vector " + std::to_string(irq.vector) +
                                         " is already claimed by protection domain '" +
                                         first->second.second + "' at " + at(first->second.first));
            }
    }

    // I/O port ids are a space of their own per PD; a port belongs to at most one <ioport> in
    // the whole system (the kernel issues each port once).
    void ioports()
    {
        struct Claim {
            uint64_t first, end;
            const IoPort* port;
            const ProtectionDomain* pd;
        };
        std::vector<Claim> claims;
        for (const auto& pd : system_.protection_domains) {
            std::map<uint64_t, Location> ids;
            for (const auto& port : pd.ioports) {
                if (auto [first, inserted] = ids.emplace(port.id, port.where); !inserted)
                    error(port.where, "ioport id " + std::to_string(port.id) +
                                          " is already used in protection domain '" + pd.name +
                                          "' at " + at(first->second));
                claims.push_back(Claim{port.addr, port.addr + port.size, &port, &pd});
            }
        }
        std::stable_sort(claims.begin(), claims.end(),
                         [](const Claim& a, const Claim& b) { return a.port->where < b.port->where; });
        for (size_t i = 0; i < claims.size(); ++i)
            for (size_t j = 0; j < i; ++j)
                if (claims[i].first < claims[j].end && claims[j].first < claims[i].end) {
                    error(claims[i].port->where,
                          "ioport [" + hex(claims[i].first) + ", " + hex(claims[i].end) +
                              ") of protection domain '" + claims[i].pd->name +
                              "' overlaps ioport id " + std::to_string(claims[j].port->id) + " [" +
                              hex(claims[j].first) + ", " + hex(claims[j].end) +
                              ") of protection domain '" + claims[j].pd->name + "' (" +
                              at(claims[j].port->where) + ")");
                    break;
                }
    }

    void caps()
    {
        for (const auto& pd : system_.protection_domains) {
            std::map<uint64_t, Location> slots;
            for (const auto& cap : pd.caps) {
                if (system_.find_pd(cap.pd) == nullptr)
                    error(cap.where, "capability refers to unknown protection domain '" + cap.pd + "'");
                if (auto [first, inserted] = slots.emplace(cap.slot, cap.where); !inserted)
                    error(cap.where, "cspace slot " + std::to_string(cap.slot) +
                                         " is already used in protection domain '" + pd.name +
                                         "' at " + at(first->second));
            }
        }
    }

    void physical_regions()
    {
        std::vector<const MemoryRegion*> fixed;
        for (const auto& mr : system_.memory_regions) {
            if (!mr.phys_addr)
                continue;
            for (const MemoryRegion* other : fixed)
                if (*mr.phys_addr < *other->phys_addr + other->size &&
                    *other->phys_addr < *mr.phys_addr + mr.size) {
                    error(mr.where, "memory region '" + mr.name + "' at physical [" +
                                        hex(*mr.phys_addr) + ", " + hex(*mr.phys_addr + mr.size) +
                                        ") overlaps memory region '" + other->name + "' (" +
                                        at(other->where) + ")");
                    break;
                }
            fixed.push_back(&mr);
        }
    }

    // A system the machine cannot hold is refused here, before the compiler would try to make
    // its frames: RAM (regions without phys_addr, stacks, per-PD kernel objects) against the
    // machine's memory, and frames over all regions against MaxRegionPages.
    void machine_memory()
    {
        struct Demand {
            Location where;
            uint64_t ram_bytes, pages;
            std::string what;
        };
        std::vector<Demand> demands;
        for (const auto& mr : system_.memory_regions) {
            if (mr.size == 0)
                error(mr.where, "memory region '" + mr.name + "' has no size: give 'size', or a "
                                "prefill_path file that can be read");
            if (mr.phys_addr && (*mr.phys_addr >= PhysicalAddressLimit ||
                                 mr.size > PhysicalAddressLimit - *mr.phys_addr))
                error(mr.where, "memory region '" + mr.name + "' at physical [" +
                                    hex(*mr.phys_addr) + ", +" + hex(mr.size) +
                                    ") does not fit below the physical address limit " +
                                    hex(PhysicalAddressLimit));
            demands.push_back(Demand{mr.where, mr.phys_addr ? 0 : mr.size, mr.page_count(),
                                     "memory region '" + mr.name + "'"});
        }
        for (const auto& pd : system_.protection_domains)
            demands.push_back(Demand{pd.where, pd.stack_size + pd_minimum_bytes(pd), 0,
                                     "protection domain '" + pd.name + "'"});
        std::stable_sort(demands.begin(), demands.end(),
                         [](const Demand& a, const Demand& b) { return a.where < b.where; });
        uint64_t ram = 0, pages = 0;
        bool ram_reported = false, pages_reported = false;
        for (const auto& demand : demands) {
            ram = saturating_add(ram, demand.ram_bytes);
            pages = saturating_add(pages, demand.pages);
            if (ram > MachineMemory && !ram_reported) {
                ram_reported = true;
                error(demand.where, demand.what + " brings the memory the system needs to at least " +
                                        std::to_string(ram >> 20) + " MiB, more than the " +
                                        std::to_string(MachineMemory >> 20) +
                                        " MiB the machine has");
            }
            if (pages > MaxRegionPages && !pages_reported) {
                pages_reported = true;
                error(demand.where, demand.what + " brings the memory regions to " +
                                        std::to_string(pages) + " pages, more than the " +
                                        std::to_string(MaxRegionPages) +
                                        " a system may have (use 2 MiB pages for large regions)");
            }
        }
    }

    const System& system_;
    Diagnostics& diagnostics_;
};

} // namespace

void check_system(const System& system, Diagnostics& diagnostics)
{
    Checker(system, diagnostics).run();
}

System load_and_check(const std::string& path, Diagnostics& diagnostics,
                      const std::vector<std::string>& directories)
{
    System system = parse_system_file(path, diagnostics);
    std::vector<std::string> prefill_directories = directories;
    const auto parent = std::filesystem::path(path).parent_path();
    const std::string beside = parent.empty() ? std::string(".") : parent.string();
    if (std::find(directories.begin(), directories.end(), beside) == directories.end())
        prefill_directories.push_back(beside);
    load_prefills(system, prefill_directories, diagnostics);
    check_system(system, diagnostics);
    return system;
}

} // namespace tessera::sdf
