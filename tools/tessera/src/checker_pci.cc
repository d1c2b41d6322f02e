// The rules for <pci_device> elements and contiguous regions: a device is claimed once in the
// whole system, its BARs and info page are mapped where nothing else is, its interrupt takes an
// id of the PD's id space and a vector nobody else has.
#include "checker_pci.h"

#include <map>

#include "number.h"

namespace tessera::sdf {
namespace {

struct Range {
    uint64_t start, end;
    std::string what;
    Location where;
};

class PciChecker {
public:
    PciChecker(const System& system, Diagnostics& diagnostics) : system_(system), diagnostics_(diagnostics) {}

    void run()
    {
        claims();
        for (size_t i = 0; i < system_.protection_domains.size(); ++i) {
            mappings(system_.protection_domains[i]);
            interrupts(i);
        }
    }

private:
    void error(Location where, std::string message) { diagnostics_.error(where, std::move(message)); }
    std::string at(Location where) const { return diagnostics_.where(where); }

    void claims()
    {
        std::map<std::string, std::pair<Location, std::string>> claimed;
        for (const auto& pd : system_.protection_domains) {
            std::map<std::string, Location> names;
            for (const auto& device : pd.pci_devices) {
                if (auto [first, inserted] = names.emplace(device.name, device.where); !inserted)
                    error(device.where, "duplicate pci_device name '" + device.name +
                                            "' in protection domain '" + pd.name + "', first at " +
                                            at(first->second));
                if (auto [first, inserted] =
                        claimed.emplace(device.match_text, std::make_pair(device.where, pd.name));
                    !inserted)
                    error(device.where, "PCI device " + device.match_text +
                                            " is already claimed by protection domain '" +
                                            first->second.second + "' at " + at(first->second.first));
                std::map<uint64_t, Location> bars;
                for (const auto& bar : device.bars)
                    if (auto [first, inserted] = bars.emplace(bar.index, bar.where); !inserted)
                        error(bar.where, "BAR " + std::to_string(bar.index) + " of '" + device.name +
                                             "' is already mapped at " + at(first->second));
            }
        }
    }

    // Every range the PD maps: regions, BAR windows, device info pages; none may overlap and
    // all lie below the map limit.
    void mappings(const ProtectionDomain& pd)
    {
        if (pd.pci_devices.empty())
            return;
        std::vector<Range> ranges;
        for (const auto& map : pd.maps)
            if (const MemoryRegion* mr = system_.find_mr(map.mr))
                ranges.push_back(Range{map.vaddr, map.vaddr + mr->size, "map of '" + mr->name + "'", map.where});
        const size_t first_device_range = ranges.size();
        for (const auto& device : pd.pci_devices) {
            for (const auto& bar : device.bars)
                ranges.push_back(Range{bar.vaddr, bar.vaddr + bar.size,
                                       "BAR " + std::to_string(bar.index) + " of '" + device.name + "'", bar.where});
            if (device.info_vaddr) {
                if (*device.info_vaddr % PageSize4K != 0)
                    error(device.where, "info_vaddr " + hex(*device.info_vaddr) + " is not aligned to 0x1000");
                ranges.push_back(Range{*device.info_vaddr, *device.info_vaddr + PageSize4K,
                                       "device info page of '" + device.name + "'", device.where});
            }
        }
        const uint64_t limit = pd.map_limit();
        for (size_t i = first_device_range; i < ranges.size(); ++i) {
            const Range& r = ranges[i];
            if (r.start >= limit || r.end > limit || r.end < r.start) {
                error(r.where, r.what + " at [" + hex(r.start) + ", " + hex(r.end) +
                                   ") is outside the user address range [0x0, " + hex(limit) +
                                   ") of protection domain '" + pd.name + "'");
                continue;
            }
            for (size_t j = 0; j < i; ++j)
                if (r.start < ranges[j].end && ranges[j].start < r.end) {
                    error(r.where, r.what + " at [" + hex(r.start) + ", " + hex(r.end) + ") overlaps the " +
                                       ranges[j].what + " at [" + hex(ranges[j].start) + ", " +
                                       hex(ranges[j].end) + ") (" + at(ranges[j].where) + ")");
                    break;
                }
        }
    }

    // A device's interrupt is an irq of its PD: its id is the PD's channel and irq id space,
    // its vector the system's.
    void interrupts(size_t index)
    {
        const ProtectionDomain& pd = system_.protection_domains[index];
        for (const auto& device : pd.pci_devices) {
            if (device.interrupt == PciInterrupt::None)
                continue;
            for (const auto& irq : pd.irqs)
                if (irq.id == device.irq_id)
                    error(device.interrupt_where, "irq id " + std::to_string(device.irq_id) +
                                                      " is already used in protection domain '" + pd.name +
                                                      "' at " + at(irq.where));
            for (const auto& channel : system_.channels)
                for (const ChannelEnd* end : {&channel.a, &channel.b})
                    if (end->pd == pd.name && end->id == device.irq_id)
                        error(device.interrupt_where, "irq id " + std::to_string(device.irq_id) +
                                                          " is already used in protection domain '" +
                                                          pd.name + "' at " + at(end->where));
            for (const auto& other_pd : system_.protection_domains) {
                for (const auto& irq : other_pd.irqs)
                    if (irq.vector == device.vector)
                        error(device.interrupt_where, "irq vector " + std::to_string(device.vector) +
                                                          " is already claimed by protection domain '" +
                                                          other_pd.name + "' at " + at(irq.where));
                for (const auto& other : other_pd.pci_devices)
                    if (&other != &device && other.interrupt != PciInterrupt::None &&
                        other.vector == device.vector && other.interrupt_where < device.interrupt_where)
                        error(device.interrupt_where, "irq vector " + std::to_string(device.vector) +
                                                          " is already claimed by protection domain '" +
                                                          other_pd.name + "' at " + at(other.interrupt_where));
            }
            for (const auto& other : pd.pci_devices)
                if (&other != &device && other.interrupt != PciInterrupt::None &&
                    other.irq_id == device.irq_id && other.interrupt_where < device.interrupt_where)
                    error(device.interrupt_where, "irq id " + std::to_string(device.irq_id) +
                                                      " is already used in protection domain '" + pd.name +
                                                      "' at " + at(other.interrupt_where));
        }
    }

    const System& system_;
    Diagnostics& diagnostics_;
};

} // namespace

void check_pci_devices(const System& system, Diagnostics& diagnostics)
{
    PciChecker(system, diagnostics).run();
}

} // namespace tessera::sdf
