// Ports, connections and their lowering into channels, regions and maps. Lowered elements carry
// the location of the connection (or its end) they come from, so the checks that follow on
// plain Microkit (ids, priorities, overlaps) point at what the designer wrote.
#include "interfaces_resolve.h"

#include <algorithm>
#include <map>
#include <set>

#include "interfaces_names.h"
#include "number.h"

namespace tessera::sdf {
namespace {

class Resolver {
public:
    Resolver(System& system, Diagnostics& diagnostics) : system_(system), diagnostics_(diagnostics) {}

    void run()
    {
        InterfaceSet& set = system_.interfaces;
        if (set.empty())
            return;
        for (size_t i = 0; i < set.ports.size(); ++i)
            port_ok_.push_back(check_port(i));
        for (Connection& connection : set.connections)
            resolve(connection);
        unconnected_uses();
        assign_channels();
        place_dataports();
        names();
    }

private:
    void error(Location where, std::string message) { diagnostics_.error(where, std::move(message)); }
    std::string at(Location where) const { return diagnostics_.where(where); }
    const ProtectionDomain& pd(size_t index) const { return system_.protection_domains[index]; }

    bool check_port(size_t index);
    void resolve(Connection& connection);
    std::optional<size_t> find_port(const ConnectionEnd& end);
    void unconnected_uses();
    void assign_channels();
    void place_dataports();
    void names();

    System& system_;
    Diagnostics& diagnostics_;
    std::vector<bool> port_ok_;
};

bool Resolver::check_port(size_t index)
{
    const InterfaceSet& set = system_.interfaces;
    const Port& port = set.ports[index];
    for (size_t j = 0; j < index; ++j) {
        const Port& other = set.ports[j];
        if (other.pd == port.pd && other.name == port.name) {
            error(port.where, "protection domain '" + pd(port.pd).name + "' already has a port named '" +
                                  port.name + "' at " + at(other.where) +
                                  "; give one of them another name (name=\"...\")");
            return false;
        }
    }
    const Interface* interface = set.find(port.interface);
    if (interface == nullptr) {
        error(port.where, std::string(port.role == Role::Uses ? "<uses>" : "<provides>") +
                              " names unknown interface '" + port.interface + "'");
        return false;
    }
    if (port.calls) {
        if (port.calls->empty()) {
            error(port.calls_where, "calls is empty, expected the names of the methods this "
                                    "protection domain calls (or no calls attribute: all)");
            return false;
        }
        bool ok = true;
        for (const std::string& method : *port.calls)
            if (interface->find_method(method) == nullptr) {
                error(port.calls_where, "calls method '" + method + "', which interface '" +
                                            interface->name + "' does not have");
                ok = false;
            }
        return ok;
    }
    return true;
}

std::optional<size_t> Resolver::find_port(const ConnectionEnd& end)
{
    const char* role = end.role == Role::Uses ? "uses" : "provides";
    auto pd_index = system_.pd_index(end.pd);
    if (!pd_index) {
        error(end.where, "connection end refers to unknown protection domain '" + end.pd + "'");
        return std::nullopt;
    }
    const InterfaceSet& set = system_.interfaces;
    for (size_t i = 0; i < set.ports.size(); ++i) {
        const Port& port = set.ports[i];
        if (port.pd != *pd_index || port.name != end.port)
            continue;
        if (port.role != end.role) {
            error(end.where, "protection domain '" + end.pd + "' has '" + end.port + "' as <" +
                                 (port.role == Role::Uses ? "uses" : "provides") + "> (" +
                                 at(port.where) + "), not as <" + role + ">");
            return std::nullopt;
        }
        if (!port_ok_[i])
            return std::nullopt; // already reported
        return i;
    }
    error(end.where, "protection domain '" + end.pd + "' has no <" + role + "> named '" + end.port +
                         "'");
    return std::nullopt;
}

void Resolver::resolve(Connection& connection)
{
    InterfaceSet& set = system_.interfaces;
    auto user = find_port(connection.user);
    auto provider = find_port(connection.provider);
    if (!user || !provider)
        return;
    const Port& use = set.ports[*user];
    const Port& provision = set.ports[*provider];
    if (use.pd == provision.pd) {
        error(connection.where, "connection joins protection domain '" + pd(use.pd).name +
                                    "' to itself, expected two different ones");
        return;
    }
    if (use.interface != provision.interface) {
        error(connection.where, "connection joins '" + pd(use.pd).name + "', which uses interface '" +
                                    use.interface + "', to '" + pd(provision.pd).name +
                                    "', which provides interface '" + provision.interface +
                                    "'; both ends must have the same interface");
        return;
    }
    for (const Connection& other : set.connections) {
        if (&other == &connection)
            break;
        if (other.resolved && other.user_port == *user) {
            error(connection.where, "protection domain '" + pd(use.pd).name + "' uses '" + use.name +
                                        "' once, and it is already connected at " + at(other.where));
            return;
        }
    }
    const Interface& interface = *set.find(use.interface);
    connection.interface = static_cast<size_t>(&interface - set.interfaces.data());
    connection.user_port = *user;
    connection.provider_port = *provider;
    connection.allowed_methods = 0;
    for (const Method& method : interface.methods)
        if (!use.calls || std::find(use.calls->begin(), use.calls->end(), method.name) != use.calls->end())
            connection.allowed_methods |= uint64_t(1) << method.number;
    connection.resolved = true;
}

void Resolver::unconnected_uses()
{
    const InterfaceSet& set = system_.interfaces;
    for (size_t i = 0; i < set.ports.size(); ++i) {
        const Port& port = set.ports[i];
        if (port.role != Role::Uses || !port_ok_[i])
            continue;
        const bool connected = std::any_of(set.connections.begin(), set.connections.end(),
                                           [&](const Connection& c) { return c.resolved && c.user_port == i; });
        // A use whose connection has errors is already reported there.
        const bool mentioned = std::any_of(set.connections.begin(), set.connections.end(), [&](const Connection& c) {
            return c.user.pd == pd(port.pd).name && c.user.port == port.name;
        });
        if (!connected && !mentioned)
            error(port.where, "protection domain '" + pd(port.pd).name + "' uses interface '" +
                                  port.interface + "' as '" + port.name +
                                  "', but no <connection> joins it to a provider");
    }
}

// Ids the description gives (channel ends and irqs) are taken first, then ids pinned on
// connection ends; every other channel of a connection gets the lowest id its protection domain
// has free, connection by connection in file order.
void Resolver::assign_channels()
{
    InterfaceSet& set = system_.interfaces;
    std::map<std::string, std::set<uint64_t>> taken;
    for (const Channel& channel : system_.channels)
        for (const ChannelEnd* end : {&channel.a, &channel.b})
            taken[end->pd].insert(end->id);
    for (const ProtectionDomain& domain : system_.protection_domains)
        for (const Irq& irq : domain.irqs)
            taken[domain.name].insert(irq.id);
    for (const Connection& connection : set.connections)
        if (connection.resolved)
            for (const ConnectionEnd* end : {&connection.user, &connection.provider})
                if (end->id)
                    taken[end->pd].insert(*end->id);

    auto take = [&](const std::string& pd_name, Location where) -> std::optional<uint64_t> {
        std::set<uint64_t>& ids = taken[pd_name];
        for (uint64_t id = 0; id <= MaxChannelId; ++id)
            if (ids.insert(id).second)
                return id;
        error(where, "no channel id is left in protection domain '" + pd_name + "' (ids 0 to " +
                         std::to_string(MaxChannelId) + " are all taken) for this connection");
        return std::nullopt;
    };

    for (Connection& connection : set.connections) {
        if (!connection.resolved)
            continue;
        const Interface& interface = set.interfaces[connection.interface];
        const size_t count = (interface.methods.empty() ? 0 : 1) + interface.events.size();
        std::vector<ChannelIds> ids;
        for (size_t k = 0; k < count; ++k) {
            auto user = k == 0 && connection.user.id ? connection.user.id : take(connection.user.pd, connection.where);
            auto provider = k == 0 && connection.provider.id ? connection.provider.id
                                                             : take(connection.provider.pd, connection.where);
            if (!user || !provider) {
                connection.resolved = false;
                break;
            }
            ids.push_back(ChannelIds{*user, *provider});
        }
        if (!connection.resolved)
            continue;
        size_t next = 0;
        if (!interface.methods.empty()) {
            connection.call = ids[next++];
            // Calls go from the user to the provider; nobody notifies over this channel.
            system_.channels.push_back(Channel{
                ChannelEnd{connection.user.pd, connection.call->user, true, false, connection.user.where},
                ChannelEnd{connection.provider.pd, connection.call->provider, false, false,
                           connection.provider.where},
                connection.where});
        }
        for (size_t e = 0; e < interface.events.size(); ++e) {
            const ChannelIds event = ids[next++];
            connection.events.push_back(event);
            // An event is a notification from the provider to the user.
            system_.channels.push_back(Channel{
                ChannelEnd{connection.user.pd, event.user, false, false, connection.user.where},
                ChannelEnd{connection.provider.pd, event.provider, false, true, connection.provider.where},
                connection.where});
        }
    }
}

// Each dataport of a connection is a region of its own, mapped read-write at both ends at the
// lowest address from DataportBase up that the protection domain's other maps leave free, with
// a guard page after it.
void Resolver::place_dataports()
{
    InterfaceSet& set = system_.interfaces;
    std::map<size_t, uint64_t> cursor;
    auto place = [&](size_t pd_index, uint64_t size, Location where) -> std::optional<uint64_t> {
        ProtectionDomain& domain = system_.protection_domains[pd_index];
        auto [entry, fresh] = cursor.emplace(pd_index, DataportBase);
        uint64_t vaddr = entry->second;
        for (bool moved = true; moved;) {
            moved = false;
            for (const Map& map : domain.maps) {
                const MemoryRegion* mr = system_.find_mr(map.mr);
                const uint64_t end = map.vaddr + (mr ? mr->size : PageSize4K);
                if (map.vaddr < vaddr + size + PageSize4K && vaddr < end + PageSize4K) {
                    vaddr = (end + PageSize4K + PageSize4K - 1) / PageSize4K * PageSize4K;
                    moved = true;
                }
            }
        }
        if (vaddr >= domain.map_limit() || size > domain.map_limit() - vaddr) {
            error(where, "no room is left in the address space of protection domain '" + domain.name +
                             "' for the dataports of this connection");
            return std::nullopt;
        }
        entry->second = vaddr + size + PageSize4K;
        return vaddr;
    };
    for (Connection& connection : set.connections) {
        if (!connection.resolved)
            continue;
        const Interface& interface = set.interfaces[connection.interface];
        const Port& use = set.ports[connection.user_port];
        const Port& provision = set.ports[connection.provider_port];
        for (const Dataport& dataport : interface.dataports) {
            DataportPlacement placement;
            placement.region = pd(use.pd).name + "." + use.name + "." + dataport.name;
            auto user = place(use.pd, dataport.size, connection.where);
            auto provider = place(provision.pd, dataport.size, connection.where);
            if (!user || !provider)
                continue;
            placement.user_vaddr = *user;
            placement.provider_vaddr = *provider;
            system_.memory_regions.push_back(
                MemoryRegion{placement.region, dataport.size, PageSize4K, std::nullopt, connection.where});
            system_.protection_domains[use.pd].maps.push_back(
                Map{placement.region, *user, PermRead | PermWrite, true, connection.where});
            system_.protection_domains[provision.pd].maps.push_back(
                Map{placement.region, *provider, PermRead | PermWrite, true, connection.where});
            connection.dataports.push_back(placement);
        }
    }
}

// Two elements whose generated identifiers coincide would make headers that do not compile.
void Resolver::names()
{
    for (size_t i = 0; i < system_.interfaces.interfaces.size(); ++i) {
        std::map<std::pair<std::string, std::string>, Location> seen;
        auto list = generated_names(system_, i);
        std::stable_sort(list.begin(), list.end(),
                         [](const GeneratedName& a, const GeneratedName& b) { return a.where < b.where; });
        for (const GeneratedName& name : list) {
            auto [first, inserted] = seen.emplace(std::make_pair(name.language, name.identifier), name.where);
            if (inserted || first->second == name.where)
                continue;
            std::string shown = name.identifier;
            if (shown.rfind("tag ", 0) == 0)
                shown = shown.substr(4);
            error(name.where, "this makes the " + name.language + " identifier '" + shown +
                                  "' of interface '" + system_.interfaces.interfaces[i].name +
                                  "', which " + at(first->second) + " makes too; rename one of them");
        }
    }
}

} // namespace

void resolve_interfaces(System& system, Diagnostics& diagnostics)
{
    Resolver(system, diagnostics).run();
}

std::string lowered_channel_purpose(const System& system, const Channel& channel)
{
    const InterfaceSet& set = system.interfaces;
    for (const Connection& connection : set.connections) {
        if (!connection.resolved || channel.a.pd != connection.user.pd || channel.b.pd != connection.provider.pd)
            continue;
        const Interface& interface = set.interfaces[connection.interface];
        if (connection.call && connection.call->user == channel.a.id && connection.call->provider == channel.b.id)
            return interface.name + " calls";
        for (size_t e = 0; e < connection.events.size(); ++e)
            if (connection.events[e].user == channel.a.id && connection.events[e].provider == channel.b.id)
                return interface.name + " event " + interface.events[e].name;
    }
    return "";
}

} // namespace tessera::sdf
