// Routes are typed: a service's interface is named by the route, by the child that provides it or
// by the typed connection its channel was lowered from. Every name must be one the system declares,
// the route's name must be its target's, and the routes for one service must lead to one interface
// whatever their client labels, since the child talks to the service through one client stub.
#include "check_types.h"

namespace tessera::manager_config {
namespace {

// An aggregate over what it reads and where it reports: TypeChecker{config, environment,
// diagnostics}.run().
struct TypeChecker {
    const Config& config;
    const Environment& environment;
    Diagnostics& diagnostics;

    void run()
    {
        for (size_t c = 0; c < config.child_count; ++c) {
            const Child& child = config.children[c];
            for (size_t p = 0; p < child.provides_count; ++p)
                declared(child.provides[p].interface, child.provides[p].where);
            for (size_t r = 0; r < child.route_count; ++r)
                route(child, r);
        }
    }

    // False (reported) for an interface name the system does not declare; the system's names are
    // known to `tessera check`, not to a manager loading a file.
    bool declared(const Name& interface, Location where)
    {
        if (interface.is_empty() || !environment.interfaces_known)
            return true;
        for (size_t i = 0; i < environment.interface_count; ++i)
            if (interface == environment.interfaces[i])
                return true;
        Message message;
        message << "interface ";
        diagnostics.error(where, message.quoted(interface.text())
                                     << " is not declared in the system (no <interface name=...>)");
        return false;
    }

    // What the route's target says the service is; empty when the target is untyped.
    Text target_interface(const Route& route) const
    {
        if (route.target == RouteTarget::Child) {
            const Child* server = config.child(route.child.text());
            const ProvidedService* provided =
                server ? server->provided(route.service.text()) : nullptr;
            return provided ? provided->interface.text() : Text{};
        }
        if (route.target == RouteTarget::Channel && environment.channel_interfaces != nullptr)
            for (size_t c = 0; c < environment.channel_count; ++c)
                if (environment.channels[c] == route.channel)
                    return environment.channel_interfaces[c];
        return Text{};
    }

    Text effective(const Route& route) const
    {
        return route.interface.is_empty() ? target_interface(route) : route.interface.text();
    }

    static void label(Message& message, const Route& route)
    {
        if (!route.label_prefix.is_empty())
            (message << "with label prefix ").quoted(route.label_prefix.text());
        else if (route.label.is_empty())
            message << "without a label";
        else
            (message << "with label ").quoted(route.label.text());
    }

    void route(const Child& child, size_t index)
    {
        const Route& route = child.routes[index];
        if (!declared(route.interface, route.where))
            return;
        const Text target = target_interface(route);
        if (!route.interface.is_empty() && !target.is_empty() && !(route.interface == target)) {
            Message message;
            message << "the route wants interface ";
            message.quoted(route.interface.text()) << " but ";
            if (route.target == RouteTarget::Child) {
                message.quoted(route.child.text()) << " provides ";
                message.quoted(route.service.text()) << " as ";
            } else {
                message << "channel " << uint64_t{route.channel};
                if (!config.pd.is_empty())
                    (message << " of ").quoted(config.pd.text());
                message << " carries ";
            }
            diagnostics.error(route.where, message.quoted(target));
            return;
        }
        const Text mine = effective(route);
        if (mine.is_empty())
            return;
        for (size_t j = 0; j < index; ++j) {
            const Route& earlier = child.routes[j];
            const Text theirs = effective(earlier);
            if (!(earlier.service == route.service) ||
                (earlier.label == route.label && earlier.label_prefix == route.label_prefix) ||
                theirs.is_empty() || theirs == mine)
                continue;
            Message message;
            message << "the route for ";
            message.quoted(route.service.text()) << " ";
            label(message, route);
            (message << " leads to interface ").quoted(mine) << " but the one ";
            label(message, earlier);
            (message << " (line " << uint64_t{earlier.where.line} << ") to ").quoted(theirs);
            diagnostics.error(route.where,
                              message << ": one service, one interface, whatever the label");
            return;
        }
    }
};

} // namespace

void check_types(const Config& config, const Environment& environment, Diagnostics& diagnostics)
{
    TypeChecker{config, environment, diagnostics}.run();
}

} // namespace tessera::manager_config
