// The semantic checks of a configuration: everything the reader cannot see from one element.
// Read-only over the Config; every problem is reported with the location of the element or
// attribute that causes it.
#include <tessera/manager_config/manager_config.h>

#include "check_types.h"

namespace tessera::manager_config {
namespace {

class Checker {
public:
    Checker(const Config& config, const Environment& environment, Diagnostics& diagnostics)
        : config_(config), environment_(environment), diagnostics_(diagnostics)
    {
    }

    void run();

private:
    void error(Location where, const Message& message) { diagnostics_.error(where, message); }
    void manager_quotas();
    void names();
    void packed_programs();
    void packed_pd(const Child& child);
    const Packed* packed(Text name, PackedKind kind) const;
    void child(const Child& child);
    void runs_manager(const Child& child);
    void routes(const Child& child);
    void devices();
    void quota_sums();
    void cycles();
    bool visit(size_t index, uint8_t* state, size_t* path, size_t depth);

    const Config& config_;
    const Environment& environment_;
    Diagnostics& diagnostics_;
};

void Checker::manager_quotas()
{
    if (raw(config_.ram) == 0 || raw(config_.ram) % PageBytes != 0) {
        Message message;
        error(config_.ram_where, message << "the manager's ram must be a non-zero multiple of "
                                         << PageBytes << " bytes");
    }
}

// Reports each item whose name an earlier item already has, once, at the later item.
template <class Item>
void report_duplicates(Diagnostics& diagnostics, const Item* items, size_t count, const char* what)
{
    for (size_t i = 0; i < count; ++i)
        for (size_t j = 0; j < i; ++j)
            if (items[i].name == items[j].name) {
                Message message;
                message << "a second " << what << " named ";
                diagnostics.error(items[i].where, message.quoted(items[i].name.text()));
                break;
            }
}

void Checker::names()
{
    report_duplicates(diagnostics_, config_.programs, config_.program_count, "program");
    report_duplicates(diagnostics_, config_.devices, config_.device_count, "device");
    report_duplicates(diagnostics_, config_.children, config_.child_count, "child");
}

const Packed* Checker::packed(Text name, PackedKind kind) const
{
    for (size_t p = 0; p < environment_.packed_count; ++p)
        if (environment_.packed[p].kind == kind && environment_.packed[p].name == name)
            return &environment_.packed[p];
    return nullptr;
}

// At run time a <program> can only name what the manager's image holds: the build packed the
// files and made the templates the description named, and a loaded configuration cannot add any.
void Checker::packed_programs()
{
    if (!environment_.packed_known)
        return;
    for (size_t p = 0; p < config_.program_count; ++p) {
        const Program& program = config_.programs[p];
        const Text name = program.name.text();
        if (!program.is_template()) {
            if (packed(name, PackedKind::File) != nullptr)
                continue;
            Message message;
            message << "the manager's image packs no program ";
            message.quoted(name);
            if (const Packed* other = packed(name, PackedKind::Template); other != nullptr) {
                message << " (it is the template of pd ";
                message.quoted(other->pd) << ")";
            }
            error(program.where, message);
            continue;
        }
        const Packed* found = packed(name, PackedKind::Template);
        if (found != nullptr && found->pd == program.pd.text())
            continue;
        Message message;
        if (found != nullptr) {
            message << "program ";
            message.quoted(name) << " is the template of pd ";
            message.quoted(found->pd) << ", not ";
            error(program.pd_where, message.quoted(program.pd.text()));
            continue;
        }
        message << "the manager holds no template ";
        message.quoted(name) << " of pd ";
        error(program.pd_where, message.quoted(program.pd.text())
                                    << " (the description's <program pd=> makes one)");
    }
}

// A <child pd=> at run time: the protection domain must be one the description lets the manager
// supervise.
void Checker::packed_pd(const Child& child)
{
    if (!environment_.packed_known || packed(child.pd.text(), PackedKind::StaticPd) != nullptr)
        return;
    Message message;
    message << "the manager supervises no protection domain ";
    error(child.pd_where, message.quoted(child.pd.text())
                              << " (the description's <child pd=> names the ones it does)");
}

void Checker::child(const Child& child)
{
    const Text binary = child.binary.text();
    if (!binary.is_empty() && binary.data[0] != '/' && config_.program(binary) == nullptr) {
        Message message;
        message << "unknown binary ";
        message.quoted(binary) << ": no <program name=";
        error(child.binary_where, message.quoted(binary) << "> and not a file-system path");
    }
    if (child.priority > config_.max_priority) {
        Message message;
        error(child.priority_where, message << "priority " << uint64_t{child.priority}
                                            << " is above the manager's max_priority "
                                            << uint64_t{config_.max_priority});
    }
    if (child.is_static()) {
        // Its resources are the description's; `tessera check` finds the PD itself.
        packed_pd(child);
        for (const Child* other = config_.children; other != &child; ++other) {
            if (other->pd == child.pd) {
                Message message;
                message << "the protection domain ";
                message.quoted(child.pd.text()) << " is already the child ";
                error(child.pd_where, message.quoted(other->name.text()));
            }
        }
        return;
    }
    if (raw(child.ram) < MinimumChildRam || raw(child.ram) % PageBytes != 0) {
        Message message;
        error(child.ram_where, message << "a child's ram must be a multiple of " << PageBytes
                                       << " bytes and at least " << MinimumChildRam
                                       << " (what the manager spends to start it)");
    }
    if (raw(child.caps) < MinimumChildCaps) {
        Message message;
        error(child.caps_where, message << "a child's caps must be at least " << MinimumChildCaps
                                        << " (what the manager spends to start it)");
    }
    if (child.manager.present)
        runs_manager(child);
    for (size_t i = 0; i < child.provides_count; ++i)
        for (size_t j = 0; j < i; ++j)
            if (child.provides[i].name == child.provides[j].name) {
                Message message;
                message << "the service ";
                error(child.provides[i].where, message.quoted(child.provides[i].name.text())
                                                   << " is provided twice");
            }
    routes(child);
}

// A child that runs a manager: its endpoint receives its own children's faults, so it serves no
// one and beats no heartbeat; its devices would have to be handed on again (not yet); and it is
// a process built as a manager, not a template's PD.
void Checker::runs_manager(const Child& child)
{
    const char* refused = nullptr;
    Location where = child.manager.where;
    if (child.provides_count != 0)
        refused = "<provides>";
    else if (child.heartbeat.enabled)
        refused = "<heartbeat>";
    else if (child.device_count != 0)
        refused = "<device>";
    if (refused != nullptr) {
        Message message;
        error(where, message << "a child that runs a manager takes no " << refused);
    }
    // Its routes become its manager's channels, which no session request reaches with a label.
    for (size_t r = 0; r < child.route_count; ++r)
        if (child.routes[r].is_labelled()) {
            Message message;
            message << "the route for ";
            message.quoted(child.routes[r].service.text())
                << " is never used: a child that runs a manager asks for no session by label (its "
                   "routes are its manager's channels)";
            error(child.routes[r].where, message);
        }
    const Program* program = config_.program(child.binary.text());
    if (program != nullptr && program->is_template()) {
        Message message;
        message << "a child that runs a manager is not started from a template (";
        error(child.binary_where, message.quoted(child.binary.text()) << " is one)");
    }
}

void Checker::routes(const Child& child)
{
    for (size_t i = 0; i < child.route_count; ++i) {
        const Route& route = child.routes[i];
        // The most specific route wins (Child::route_for): two that match the same labels
        // equally leave one never taken.
        for (size_t j = 0; j < i; ++j)
            if (child.routes[j].service == route.service && child.routes[j].label == route.label &&
                child.routes[j].label_prefix == route.label_prefix) {
                Message message;
                message << "a second route for ";
                message.quoted(route.service.text());
                if (!route.label_prefix.is_empty())
                    (message << " with label prefix ").quoted(route.label_prefix.text());
                else
                    (message << " with label ").quoted(route.label.text());
                error(route.where, message << " is never used");
            }
        if (route.target == RouteTarget::Channel && environment_.channels_known) {
            bool found = false;
            for (size_t c = 0; c < environment_.channel_count; ++c)
                found = found || environment_.channels[c] == route.channel;
            if (!found) {
                Message message;
                error(route.target_where,
                      message << "the manager has no channel with id " << uint64_t{route.channel});
            }
        }
        if (route.target == RouteTarget::Parent && environment_.without_parent) {
            Message message;
            message << "the route for ";
            error(route.target_where, message.quoted(route.service.text())
                                          << " goes to the parent, but this manager has none");
        }
        if (route.target != RouteTarget::Child)
            continue;
        if (route.child == child.name) {
            Message message;
            message << "the child ";
            error(route.target_where, message.quoted(child.name.text()) << " routes to itself");
            continue;
        }
        const Child* server = config_.child(route.child.text());
        if (server == nullptr) {
            Message message;
            message << "the route for ";
            message.quoted(route.service.text()) << " names a missing child ";
            error(route.target_where, message.quoted(route.child.text()));
            continue;
        }
        if (server->provided(route.service.text()) == nullptr) {
            Message message;
            message << "the child ";
            message.quoted(route.child.text()) << " provides no service ";
            error(route.target_where, message.quoted(route.service.text()));
        }
    }
}

// A device is a template's resources: its pd is the pd of one of the manager's <program pd=>,
// and at run time one the image holds by that name. A child that runs a device's template program
// gets the resources only by naming the device.
void Checker::devices()
{
    for (size_t i = 0; i < config_.device_count; ++i) {
        const Device& device = config_.devices[i];
        const Text pd = device.pd.text();
        bool templated = pd.is_empty();
        for (size_t p = 0; p < config_.program_count && !templated; ++p)
            templated = config_.programs[p].is_template() && config_.programs[p].pd == pd;
        if (!templated) {
            Message message;
            message << "the device's pd ";
            error(device.pd_where, message.quoted(pd) << " is the pd of no <program pd=> of this manager");
        }
        if (!environment_.packed_known)
            continue;
        const Packed* found = packed(device.name.text(), PackedKind::Device);
        if (found == nullptr || (!pd.is_empty() && !(found->pd == pd))) {
            Message message;
            message << "the manager's image holds no device ";
            message.quoted(device.name.text());
            if (!pd.is_empty()) {
                message << " of pd ";
                message.quoted(pd);
            }
            error(device.where, message << " (the description's <device pd=> gives one)");
        }
    }
    for (size_t c = 0; c < config_.child_count; ++c) {
        const Child& child = config_.children[c];
        const Program* program = config_.program(child.binary.text());
        for (size_t i = 0; program != nullptr && program->is_template() && i < config_.device_count; ++i) {
            const Device& device = config_.devices[i];
            bool named = false;
            for (size_t d = 0; d < child.device_count; ++d)
                named = named || child.devices[d] == device.name.text();
            if (device.pd == program->pd.text() && !named) {
                Message message;
                message << "its program's template is the device ";
                message.quoted(device.name.text()) << ", which it does not name (<device name=";
                error(child.binary_where, message.quoted(device.name.text()) << "/>)");
            }
        }
    }
    for (size_t c = 0; c < config_.child_count; ++c) {
        const Child& child = config_.children[c];
        for (size_t d = 0; d < child.device_count; ++d) {
            const Text name = child.devices[d].text();
            if (config_.device(name) == nullptr) {
                Message message;
                message << "the manager holds no device ";
                error(child.device_where[d], message.quoted(name));
                continue;
            }
            if (d != 0) {
                Message message;
                error(child.device_where[d], message << "a child holds one device at most (its "
                                                        "resources sit at a Microkit PD's slots)");
            }
            for (size_t other = 0; other < c; ++other)
                for (size_t e = 0; e < config_.children[other].device_count; ++e)
                    if (config_.children[other].devices[e] == name) {
                        Message message;
                        message << "the device ";
                        message.quoted(name) << " is already given to ";
                        error(child.device_where[d],
                              message.quoted(config_.children[other].name.text()));
                    }
        }
    }
}

// Quotas are carved from the manager's own: the sum over all children must fit, and the first
// child that makes it overflow is the one reported.
void Checker::quota_sums()
{
    uint64_t ram = 0, caps = 0;
    bool ram_reported = false, caps_reported = false;
    for (size_t i = 0; i < config_.child_count; ++i) {
        const Child& child = config_.children[i];
        ram += raw(child.ram);
        caps += raw(child.caps);
        if (!ram_reported && ram > raw(config_.ram)) {
            Message message;
            error(child.ram_where, message << "the children's ram adds up to " << ram
                                           << " bytes here, more than the manager's "
                                           << raw(config_.ram));
            ram_reported = true;
        }
        if (!caps_reported && caps > raw(config_.caps)) {
            Message message;
            error(child.caps_where, message << "the children's caps add up to " << caps
                                            << " here, more than the manager's "
                                            << raw(config_.caps));
            caps_reported = true;
        }
    }
}

enum : uint8_t { Unvisited, OnPath, Done };

// Depth-first search over client -> server edges; a server on the current path closes a cycle,
// which would leave every child on it waiting for another to start.
bool Checker::visit(size_t index, uint8_t* state, size_t* path, size_t depth)
{
    state[index] = OnPath;
    path[depth] = index;
    const Child& client = config_.children[index];
    for (size_t r = 0; r < client.route_count; ++r) {
        const Route& route = client.routes[r];
        if (route.target != RouteTarget::Child || route.child == client.name)
            continue;
        const Child* server = config_.child(route.child.text());
        if (server == nullptr)
            continue;
        const size_t next = static_cast<size_t>(server - config_.children);
        if (state[next] == OnPath) {
            Message message;
            message << "the routes form a cycle: ";
            size_t start = 0;
            while (path[start] != next)
                ++start;
            for (size_t i = start; i <= depth; ++i)
                message << config_.children[path[i]].name.text() << " -> ";
            error(route.target_where, message << server->name.text());
            return true;
        }
        if (state[next] == Unvisited && visit(next, state, path, depth + 1))
            return true;
    }
    state[index] = Done;
    return false;
}

void Checker::cycles()
{
    uint8_t state[MaxChildren] = {};
    size_t path[MaxChildren] = {};
    for (size_t i = 0; i < config_.child_count; ++i)
        if (state[i] == Unvisited && visit(i, state, path, 0))
            return;
}

void Checker::run()
{
    manager_quotas();
    names();
    packed_programs();
    for (size_t i = 0; i < config_.child_count; ++i)
        child(config_.children[i]);
    devices();
    quota_sums();
    cycles();
    check_types(config_, environment_, diagnostics_);
}

} // namespace

bool check(const Config& config, const Environment& environment, Diagnostics& diagnostics)
{
    const size_t before = diagnostics.count();
    Checker(config, environment, diagnostics).run();
    return diagnostics.count() == before;
}

bool load(Text source, const Environment& environment, Config& config, Diagnostics& diagnostics,
          Config* nested)
{
    if (!read_file(source, config, diagnostics))
        return false;
    if (!check(config, environment, diagnostics))
        return false;
    const size_t before = diagnostics.count();
    for (size_t c = 0; c < config.child_count; ++c) {
        const Child& child = config.children[c];
        if (!child.manager.present)
            continue;
        if (nested == nullptr) {
            Message message;
            diagnostics.error(child.manager.where, message << "a nested manager cannot be checked here");
            continue;
        }
        (void)read_nested(source, config, child, environment, *nested, diagnostics);
    }
    return diagnostics.count() == before;
}

} // namespace tessera::manager_config
