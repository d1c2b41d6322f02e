// <manager> inside a .system: the library reads and checks it; this file adds what only the
// whole system knows (which protection domain runs it and which channels that PD has).
#include "manager_element.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

#include <tessera/manager_config/manager_config.h>

#include "number.h"

namespace tessera::sdf {
namespace {

namespace mc = tessera::manager_config;

Location location(mc::Location where)
{
    return Location{where.line, where.column};
}

void report(const mc::Diagnostics& found, Diagnostics& diagnostics)
{
    for (size_t i = 0; i < found.kept(); ++i)
        diagnostics.error(location(found.all()[i].where), found.all()[i].message);
    if (found.count() > found.kept())
        diagnostics.error(location(found.all()[found.kept() - 1].where),
                          std::to_string(found.count() - found.kept()) +
                              " more errors in this <manager> not shown");
}

// The interface each of `pd`'s channels carries, for the channels lowered from typed
// connections (docs/interfaces.md); plain <channel>s carry none and are not type-checked.
std::map<uint64_t, std::string> channel_interfaces(const System& system, const std::string& pd)
{
    std::map<uint64_t, std::string> interfaces;
    for (const Connection& connection : system.interfaces.connections) {
        if (!connection.resolved) continue;
        const std::string& name = system.interfaces.interfaces[connection.interface].name;
        std::vector<ChannelIds> ids = connection.events;
        if (connection.call) ids.push_back(*connection.call);
        for (const ChannelIds& channel : ids) {
            if (connection.user.pd == pd) interfaces[channel.user] = name;
            if (connection.provider.pd == pd) interfaces[channel.provider] = name;
        }
    }
    return interfaces;
}

// A <child pd=NAME> names a child protection domain of the manager's PD (its fault endpoint
// is the manager's, so the manager hears of its faults and may stop and restart it), with a
// child id below 128 (the manager's own process children's fault badges carry bit 7).
bool check_static_children(const mc::Config& config, const System& system, Diagnostics& diagnostics)
{
    bool ok = true;
    const auto manager = system.pd_index(config.pd.c_str());
    for (size_t c = 0; c < config.child_count; ++c) {
        const mc::Child& child = config.children[c];
        if (!child.is_static()) continue;
        const std::string name = child.pd.c_str();
        const auto index = system.pd_index(name);
        std::string why;
        if (!index)
            why = "pd '" + name + "' names no protection domain";
        else if (system.protection_domains[*index].parent != manager)
            why = "pd '" + name + "' is not a child protection domain of '" + config.pd.c_str() + "'";
        else if (*system.protection_domains[*index].id >= 128)
            why = "pd '" + name + "' has child id " +
                  std::to_string(*system.protection_domains[*index].id) +
                  "; a manager supervises child ids 0-127";
        if (why.empty()) continue;
        diagnostics.error(location(child.pd_where), why);
        ok = false;
    }
    return ok;
}

// A child started from a template has the template PD's stack_size (the parser checked its range
// and page multiple for any PD): at most what the manager maps for a child, and within the RAM
// quota of every child started from it, beside the least any child needs.
bool check_template_stack(const mc::Config& config, const mc::Program& program,
                          const ProtectionDomain& pd, Diagnostics& diagnostics)
{
    if (pd.stack_size > TESSERA_MANAGER_MAX_TEMPLATE_STACK) {
        diagnostics.error(pd.stack_size_where,
                          "stack_size " + hex(pd.stack_size) + " of template pd '" + pd.name +
                              "' is more than a manager's child can have (" +
                              hex(TESSERA_MANAGER_MAX_TEMPLATE_STACK) + ")");
        return false;
    }
    bool ok = true;
    for (size_t c = 0; c < config.child_count; ++c) {
        const mc::Child& child = config.children[c];
        if (child.is_static() || !(child.binary == program.name.text())) continue;
        const uint64_t ram = mc::raw(child.ram);
        if (ram >= pd.stack_size + mc::MinimumChildRam) continue;
        diagnostics.error(location(child.ram_where),
                          "ram " + std::to_string(ram) + " of child '" + child.name.c_str() +
                              "' does not hold its template's stack (" + hex(pd.stack_size) +
                              ") beside the " + std::to_string(mc::MinimumChildRam / 1024) +
                              " KiB every child needs");
        ok = false;
    }
    return ok;
}

// A <program pd=NAME> names a child protection domain of the manager's PD that is not also a
// <child pd=>, has no children or virtual machine of its own and whose TCB or address space no
// other PD holds: the build makes neither (spec.h, TESSERA_TEMPLATE_*).
bool check_templates(const mc::Config& config, const System& system, Diagnostics& diagnostics)
{
    bool ok = true;
    const auto manager = system.pd_index(config.pd.c_str());
    size_t templates = 0;
    for (size_t p = 0; p < config.program_count; ++p) {
        const mc::Program& program = config.programs[p];
        if (!program.is_template()) continue;
        const std::string name = program.pd.c_str();
        const auto index = system.pd_index(name);
        std::string why;
        if (++templates > TESSERA_MANAGER_MAX_TEMPLATES)
            why = "a manager holds at most " + std::to_string(TESSERA_MANAGER_MAX_TEMPLATES) +
                  " template protection domains";
        else if (!index)
            why = "pd '" + name + "' names no protection domain";
        else if (system.protection_domains[*index].parent != manager)
            why = "pd '" + name + "' is not a child protection domain of '" + config.pd.c_str() + "'";
        else if (system.protection_domains[*index].virtual_machine)
            why = "pd '" + name + "' has a virtual machine; a template cannot";
        for (size_t c = 0; why.empty() && c < config.child_count; ++c)
            if (config.children[c].is_static() && config.children[c].pd == program.pd)
                why = "pd '" + name + "' is a <child pd=> already; a template is never started as one";
        for (size_t other = 0; why.empty() && other < system.protection_domains.size(); ++other) {
            const ProtectionDomain& pd = system.protection_domains[other];
            if (pd.parent == index)
                why = "pd '" + name + "' has child protection domain '" + pd.name + "'; a template cannot";
            for (const auto& cap : pd.caps)
                if (why.empty() && cap.pd == name)
                    why = "pd '" + pd.name + "' holds a capability of template pd '" + name + "'";
        }
        for (size_t q = 0; why.empty() && q < p; ++q)
            if (config.programs[q].pd == program.pd)
                why = "pd '" + name + "' is the template of program '" +
                      std::string(config.programs[q].name.c_str()) + "' already";
        if (why.empty() && !check_template_stack(config, program, system.protection_domains[*index],
                                                 diagnostics))
            ok = false;
        if (why.empty()) continue;
        diagnostics.error(location(program.pd_where), why);
        ok = false;
    }
    return ok;
}

// A <device> in a description names the template whose resources it is (the library checks the
// pd is one); a virtio reset needs the template's PCI info page to find the device's registers.
bool check_devices(const mc::Config& config, const System& system, Diagnostics& diagnostics)
{
    bool ok = true;
    for (size_t i = 0; i < config.device_count; ++i) {
        const mc::Device& device = config.devices[i];
        const std::string name = device.name.c_str();
        if (device.pd.text().is_empty()) {
            diagnostics.error(location(device.where), "device '" + name + "' in a system description "
                                                      "needs pd, the template whose resources it is");
            ok = false;
            continue;
        }
        const ProtectionDomain* pd = system.find_pd(device.pd.c_str());
        if (device.reset != mc::DeviceReset::Virtio || pd == nullptr) continue;
        if (pd->pci_devices.size() != 1 || !pd->pci_devices[0].info_vaddr) {
            diagnostics.error(location(device.pd_where),
                              "reset 'virtio' of device '" + name + "' needs pd '" + pd->name +
                                  "' to have one <pci_device> with info_vaddr (where the manager "
                                  "finds the device's registers)");
            ok = false;
        }
    }
    return ok;
}

// Nested managers (docs/dynamic.md, "Nested managers"), at every depth: each read and checked in
// the world its parent gives it.
void check_nested(mc::Text source, const mc::Config& parent, const mc::Environment& environment,
                  mc::Diagnostics& found)
{
    for (size_t c = 0; c < parent.child_count; ++c) {
        if (!parent.children[c].manager.present) continue;
        auto nested = std::make_unique<mc::Config>();
        if (mc::read_nested(source, parent, parent.children[c], environment, *nested, found))
            check_nested(source, *nested, environment, found);
    }
}

// What the build gives the manager's PD: its CNode grows to hold the manager's slots, and the
// element keeps what the compiler packs (RAM, program files, the text to read it from).
void record_resources(const mc::Config& config, std::string_view text, ManagerElement& element,
                      System& system, Diagnostics& diagnostics)
{
    const auto index = system.pd_index(config.pd.c_str());
    if (!index) return;
    ProtectionDomain& pd = system.protection_domains[*index];
    const uint64_t slots = uint64_t{TESSERA_MANAGER_SLOT_FREE} + static_cast<uint64_t>(config.caps);
    uint32_t bits = TESSERA_PD_CNODE_BITS_USER_CAPS;
    while (bits < 63 && (uint64_t{1} << bits) < slots) ++bits;
    if (bits > TESSERA_MANAGER_MAX_CNODE_BITS) {
        diagnostics.error(location(config.caps_where),
                          "caps " + std::to_string(static_cast<uint64_t>(config.caps)) +
                              " does not fit the manager's CNode (at most " +
                              std::to_string((uint64_t{1} << TESSERA_MANAGER_MAX_CNODE_BITS) -
                                             TESSERA_MANAGER_SLOT_FREE) +
                              ")");
        return;
    }
    const uint64_t ram = static_cast<uint64_t>(config.ram);
    const uint64_t most = uint64_t{TESSERA_MANAGER_MAX_UNTYPEDS} << TESSERA_MANAGER_UNTYPED_BITS;
    if (ram > most) {
        diagnostics.error(location(config.ram_where),
                          "ram " + std::to_string(ram) + " is more than a manager can hold (" +
                              std::to_string(most >> 20) + " MiB)");
        return;
    }
    pd.manager_cnode_bits = bits;
    element.pd = config.pd.c_str();
    element.ram = ram;
    element.text = std::string(text);
    for (const Channel& channel : system.channels)
        for (const ChannelEnd* end : {&channel.a, &channel.b}) {
            if (end->pd != element.pd || end->id >= 64) continue;
            if (end->pp) element.call_channels |= uint64_t{1} << end->id;
            if (end->notify) element.notify_channels |= uint64_t{1} << end->id;
        }
    for (size_t c = 0; c < config.child_count; ++c) {
        const mc::Child& child = config.children[c];
        if (!child.is_static()) continue;
        const ProtectionDomain& static_pd = *system.find_pd(child.pd.c_str());
        element.static_children.push_back(ManagerElement::StaticChild{
            static_pd.name, static_pd.program_image, *static_pd.id, location(child.pd_where)});
    }
    for (size_t p = 0; p < config.program_count; ++p) {
        const mc::Program& program = config.programs[p];
        if (program.is_template()) {
            system.protection_domains[*system.pd_index(program.pd.c_str())].manager_template = true;
            const ProtectionDomain& pd = *system.find_pd(program.pd.c_str());
            ManagerElement::Template made{program.name.c_str(), program.pd.c_str(),
                                          location(program.where), pd.stack_size};
            for (size_t d = 0; d < config.device_count; ++d) {
                const mc::Device& device = config.devices[d];
                if (!(device.pd == program.pd.text())) continue;
                made.device = device.name.c_str();
                if (device.reset == mc::DeviceReset::Virtio) {
                    made.device_reset = TESSERA_DEVICE_RESET_VIRTIO;
                    made.device_info_vaddr = *pd.pci_devices[0].info_vaddr;
                }
            }
            element.templates.push_back(made);
            continue;
        }
        element.programs.push_back(ManagerElement::ProgramFile{
            program.name.c_str(), program.path.c_str(), location(program.where)});
    }
}

} // namespace

void check_manager_elements(std::string_view text, System& system, Diagnostics& diagnostics)
{
    std::set<std::string> pds_with_manager;
    for (ManagerElement& element : system.managers) {
        // A Config is large and fixed-size (it is made for a component without a heap).
        auto config = std::make_unique<mc::Config>();
        auto found = std::make_unique<mc::Diagnostics>();
        const mc::Text source(text.data(), text.size());
        const bool readable = mc::read_element(source, element.offset, *config, *found);
        const std::string pd = config->pd.c_str();
        std::vector<uint32_t> channels;
        std::vector<std::string> carried; // beside `channels`: each one's interface, or empty
        if (pd.empty()) {
            diagnostics.error(element.where, "<manager> in a system description needs pd, the "
                                             "protection domain that runs the manager");
        } else if (system.find_pd(pd) == nullptr) {
            diagnostics.error(location(config->pd_where),
                              "pd '" + pd + "' names no protection domain");
        } else if (!pds_with_manager.insert(pd).second) {
            diagnostics.error(element.where, "a second <manager> for pd '" + pd + "'");
        }
        const auto interfaces_of = channel_interfaces(system, pd);
        for (const Channel& channel : system.channels)
            for (const ChannelEnd* end : {&channel.a, &channel.b})
                if (end->pd == pd) {
                    channels.push_back(static_cast<uint32_t>(end->id));
                    const auto typed = interfaces_of.find(end->id);
                    carried.push_back(typed == interfaces_of.end() ? "" : typed->second);
                }
        if (readable) {
            // Routes are type-checked against the system's interfaces and channels (the
            // library's check_types.cc); the texts live in `carried` and the system.
            std::vector<mc::Text> carried_texts, declared;
            for (const std::string& name : carried)
                carried_texts.emplace_back(name.data(), name.size());
            for (const Interface& interface : system.interfaces.interfaces)
                declared.emplace_back(interface.name.data(), interface.name.size());
            mc::Environment environment{channels.data(), channels.size(),
                                        system.find_pd(pd) != nullptr};
            environment.channel_interfaces = carried_texts.data();
            environment.interfaces = declared.data();
            environment.interface_count = declared.size();
            environment.interfaces_known = true;
            environment.without_parent = true; // a manager in a .system is the top one
            if (mc::check(*config, environment, *found) && system.find_pd(pd) != nullptr) {
                const size_t before = found->count();
                check_nested(source, *config, environment, *found);
                if (found->count() == before && check_static_children(*config, system, diagnostics) &&
                    check_templates(*config, system, diagnostics) &&
                    check_devices(*config, system, diagnostics))
                    record_resources(*config, text, element, system, diagnostics);
            }
        }
        report(*found, diagnostics);
    }
}

} // namespace tessera::sdf
