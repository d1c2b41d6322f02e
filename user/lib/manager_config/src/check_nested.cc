// A nested manager's configuration, read and checked in the world its parent gives it
// (docs/dynamic.md, "Nested managers").
#include <tessera/manager_config/manager_config.h>

namespace tessera::manager_config {
namespace {

// The quotas a nested manager holds are carved from its child's: whole chunks of the parent,
// with the child's least RAM and slots left over to build the manager's own process.
void quotas(const Config& nested, const Child& child, Diagnostics& diagnostics)
{
    const uint64_t ram = raw(nested.ram), caps = raw(nested.caps);
    if (ram % ChunkBytes != 0 || ram / ChunkBytes > MaxNestedChunks) {
        Message message;
        diagnostics.error(nested.ram_where, message << "a nested manager's ram must be a multiple of "
                                                    << ChunkBytes << " bytes (its parent's chunks), "
                                                    << "at most " << MaxNestedChunks * ChunkBytes);
    } else if (ram + MinimumChildRam > raw(child.ram)) {
        Message message;
        message << "the nested manager's ram " << ram << " leaves too little of its child ";
        diagnostics.error(nested.ram_where, message.quoted(child.name.text())
                                                << "'s " << raw(child.ram) << " to run it (at least "
                                                << MinimumChildRam << ")");
    }
    if (caps + MinimumChildCaps > raw(child.caps)) {
        Message message;
        message << "the nested manager's caps " << caps << " leave too few of its child ";
        diagnostics.error(nested.caps_where, message.quoted(child.name.text())
                                                 << "'s " << raw(child.caps) << " to run it (at least "
                                                 << MinimumChildCaps << ")");
    }
}

// A <parent/> route is served by the child's own route for the service, which its parent wired.
void parent_routes(const Config& nested, const Child& child, Diagnostics& diagnostics)
{
    for (size_t c = 0; c < nested.child_count; ++c) {
        const Child& inner = nested.children[c];
        for (size_t r = 0; r < inner.route_count; ++r) {
            const Route& route = inner.routes[r];
            if (route.target != RouteTarget::Parent)
                continue;
            bool served = false;
            for (size_t p = 0; p < child.route_count; ++p)
                served = served || child.routes[p].service == route.service;
            if (served)
                continue;
            Message message;
            message << "the route for ";
            message.quoted(route.service.text()) << " goes to the parent, but its child ";
            diagnostics.error(route.target_where,
                              message.quoted(child.name.text()) << " has no route for it");
        }
    }
}

} // namespace

bool read_nested(Text source, const Config& parent, const Child& child,
                 const Environment& parent_environment, Config& nested, Diagnostics& diagnostics)
{
    const size_t before = diagnostics.count();
    if (!read_element(source, child.manager.offset, nested, diagnostics))
        return false;
    if (!nested.pd.is_empty()) {
        Message message;
        diagnostics.error(nested.pd_where, message << "a nested manager takes no pd: it runs in its child");
    }
    // What its parent hands on: the parent's program files, no channel of its own, a parent.
    Packed programs[MaxPrograms];
    size_t program_count = 0;
    for (size_t p = 0; p < parent.program_count; ++p)
        if (!parent.programs[p].is_template())
            programs[program_count++] = Packed{PackedKind::File, parent.programs[p].name.text(), Text{}};
    Environment environment{};
    environment.channels_known = true;
    environment.interfaces = parent_environment.interfaces;
    environment.interface_count = parent_environment.interface_count;
    environment.interfaces_known = parent_environment.interfaces_known;
    environment.packed = programs;
    environment.packed_count = program_count;
    environment.packed_known = true;
    quotas(nested, child, diagnostics);
    (void)check(nested, environment, diagnostics);
    parent_routes(nested, child, diagnostics);
    return diagnostics.count() == before;
}

} // namespace tessera::manager_config
