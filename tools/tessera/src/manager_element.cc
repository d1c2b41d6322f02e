// <manager> inside a .system: the library reads and checks it; this file adds what only the
// whole system knows (which protection domain runs it and which channels that PD has).
#include "manager_element.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

#include <tessera/manager_config/manager_config.h>

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

// A route to a static channel that names an interface must name the channel's own.
void check_channel_types(const mc::Config& config, const System& system,
                         Diagnostics& diagnostics)
{
    const auto interfaces = channel_interfaces(system, config.pd.c_str());
    for (size_t c = 0; c < config.child_count; ++c) {
        const mc::Child& child = config.children[c];
        for (size_t r = 0; r < child.route_count; ++r) {
            const mc::Route& route = child.routes[r];
            if (route.target != mc::RouteTarget::Channel || route.interface.is_empty()) continue;
            const auto carried = interfaces.find(route.channel);
            if (carried == interfaces.end() || carried->second == route.interface.c_str())
                continue;
            diagnostics.error(location(route.where),
                              "the route wants interface '" + std::string(route.interface.c_str()) +
                                  "' but channel " + std::to_string(route.channel) + " of '" +
                                  config.pd.c_str() + "' carries '" + carried->second + "'");
        }
    }
}

} // namespace

void check_manager_elements(std::string_view text, const System& system, Diagnostics& diagnostics)
{
    std::set<std::string> pds_with_manager;
    for (const ManagerElement& element : system.managers) {
        // A Config is large and fixed-size (it is made for a component without a heap).
        auto config = std::make_unique<mc::Config>();
        auto found = std::make_unique<mc::Diagnostics>();
        const mc::Text source(text.data(), text.size());
        const bool readable = mc::read_element(source, element.offset, *config, *found);
        const std::string pd = config->pd.c_str();
        std::vector<uint32_t> channels;
        if (pd.empty()) {
            diagnostics.error(element.where, "<manager> in a system description needs pd, the "
                                             "protection domain that runs the manager");
        } else if (system.find_pd(pd) == nullptr) {
            diagnostics.error(location(config->pd_where),
                              "pd '" + pd + "' names no protection domain");
        } else if (!pds_with_manager.insert(pd).second) {
            diagnostics.error(element.where, "a second <manager> for pd '" + pd + "'");
        }
        for (const Channel& channel : system.channels)
            for (const ChannelEnd* end : {&channel.a, &channel.b})
                if (end->pd == pd)
                    channels.push_back(static_cast<uint32_t>(end->id));
        if (readable) {
            const mc::Environment environment{channels.data(), channels.size(),
                                              system.find_pd(pd) != nullptr};
            if (mc::check(*config, environment, *found) && system.find_pd(pd) != nullptr)
                check_channel_types(*config, system, diagnostics);
        }
        report(*found, diagnostics);
    }
}

} // namespace tessera::sdf
