// Lookups by name in a configuration, and the comparison behind the difference computation.
#include <tessera/manager_config/config.h>

namespace tessera::manager_config {

const Child* Config::child(Text name) const
{
    for (size_t i = 0; i < child_count; ++i)
        if (children[i].name == name)
            return &children[i];
    return nullptr;
}

const Program* Config::program(Text name) const
{
    for (size_t i = 0; i < program_count; ++i)
        if (programs[i].name == name)
            return &programs[i];
    return nullptr;
}

const Device* Config::device(Text name) const
{
    for (size_t i = 0; i < device_count; ++i)
        if (devices[i].name == name)
            return &devices[i];
    return nullptr;
}

const ProvidedService* Child::provided(Text service) const
{
    for (size_t i = 0; i < provides_count; ++i)
        if (provides[i].name == service)
            return &provides[i];
    return nullptr;
}

size_t Route::match(Text client_label) const
{
    if (!label.is_empty())
        return label == client_label ? NameCapacity + 2 : 0;
    const Text prefix = label_prefix.text();
    if (prefix.is_empty())
        return 1;
    if (client_label.length < prefix.length)
        return 0;
    return Text{client_label.data, prefix.length} == prefix ? 2 + prefix.length : 0;
}

// The checks refuse two routes of one service with the same label or prefix, so the most
// specific match is unique.
const Route* best_route(const Route* routes, size_t count, Text service, Text label)
{
    const Route* best = nullptr;
    size_t best_match = 0;
    for (size_t i = 0; i < count; ++i) {
        if (!(routes[i].service == service))
            continue;
        const size_t how = routes[i].match(label);
        if (how > best_match) {
            best = &routes[i];
            best_match = how;
        }
    }
    return best;
}

const Route* Child::route_for(Text service, Text label) const
{
    return best_route(routes, route_count, service, label);
}

namespace {

template <class T> bool same_list(const T* a, size_t a_count, const T* b, size_t b_count)
{
    if (a_count != b_count)
        return false;
    for (size_t i = 0; i < a_count; ++i)
        if (!(a[i] == b[i]))
            return false;
    return true;
}

} // namespace

// Order matters for routes (the first matching one wins) and is kept for the others so that a
// reordering, which changes nothing a child can see, is still reported honestly as a change.
bool Child::same_start(const Child& other) const
{
    return name == other.name && binary == other.binary && pd == other.pd && priority == other.priority &&
           ram == other.ram && caps == other.caps && version == other.version &&
           same_list(provides, provides_count, other.provides, other.provides_count) &&
           same_list(routes, route_count, other.routes, other.route_count) &&
           same_list(devices, device_count, other.devices, other.device_count) &&
           restart == other.restart && heartbeat == other.heartbeat && manager == other.manager;
}

} // namespace tessera::manager_config
