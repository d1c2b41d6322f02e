// The model of a manager configuration: what `<manager>` says, after reading and before checking.
// Fixed capacities keep it usable in the manager component, which has no heap.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

constexpr size_t MaxChildren = 32;
constexpr size_t MaxPrograms = 32;
constexpr size_t MaxDevices = 8;
constexpr size_t MaxProvides = 8; // per child
constexpr size_t MaxRoutes = 16;  // per child
constexpr size_t MaxChildDevices = 4;
constexpr uint64_t MaxPriority = 254; // seL4's seL4_MaxPrio on x86_64
constexpr uint64_t PageBytes = 4096;
// What the manager spends for any child before the child gets a byte: TCB, scheduling context,
// VSpace root and paging structures for the image, CNode, IPC buffer, stack (docs/dynamic.md).
constexpr uint64_t MinimumChildRam = 64 * 1024;
constexpr uint64_t MinimumChildCaps = 16;

// RAM in bytes and capability slots: distinct types so one cannot be passed for the other.
enum class RamBytes : uint64_t {};
enum class CapCount : uint64_t {};
constexpr uint64_t raw(RamBytes b)
{
    return static_cast<uint64_t>(b);
}
constexpr uint64_t raw(CapCount c)
{
    return static_cast<uint64_t>(c);
}

// `<program name path>`: a file packed into the boot image under a name children can use.
struct Program {
    Name name;
    Path path;   // a file the build packs; empty when the program is a template pd
    Name pd;     // or a child protection domain of the manager's PD the build makes a template
                 // of: its program and its resources (devices, channels), run by no thread
                 // until the manager starts a child from it (docs/dynamic.md, "Templates")
    Location where;
    Location pd_where;
    bool is_template() const { return !pd.text().is_empty(); }
    bool operator==(const Program& o) const { return name == o.name && path == o.path && pd == o.pd; }
};

// How the manager resets a device before a child it is given starts (docs/dynamic.md, "Devices").
enum class DeviceReset : uint8_t { None, Virtio };

// `<device name pd reset>` at manager level: resources the static system gave the manager to hand
// on, those of the template protection domain `pd` (empty in a file loaded at run time: the
// manager's image knows it).
struct Device {
    Name name;
    Name pd;
    DeviceReset reset = DeviceReset::None;
    Location where;
    Location pd_where;
    bool operator==(const Device& o) const { return name == o.name && pd == o.pd && reset == o.reset; }
};

// `<service name interface>` inside `<provides>`.
struct ProvidedService {
    Name name;
    Name interface; // empty: untyped
    Location where;
    bool operator==(const ProvidedService& o) const
    {
        return name == o.name && interface == o.interface;
    }
};

enum class RouteTarget : uint8_t { Channel, Child, Parent };

// `<service name label label_prefix interface>` inside `<route>`, with one target element. A
// route without a label is the child's from its start (a capability at a fixed slot); one with a
// label or a prefix only answers a session the child asks for with a label it matches
// (docs/dynamic.md, "Sessions and labels").
struct Route {
    Name service;
    Name label;        // the whole client label it matches; empty: see label_prefix
    Name label_prefix; // or the start of the labels it matches; both empty: any label
    Name interface;    // empty: not type-checked
    RouteTarget target = RouteTarget::Parent;
    uint32_t channel = 0; // RouteTarget::Channel: the manager PD's static channel id
    Name child;           // RouteTarget::Child
    Location where;
    Location target_where;
    bool is_labelled() const { return !label.is_empty() || !label_prefix.is_empty(); }
    // How closely it matches `client_label`: 0 not at all, 1 any label, 2 + the prefix's length
    // for a prefix, and above every prefix for the whole label (route_for takes the highest).
    size_t match(Text client_label) const;
    bool operator==(const Route& o) const
    {
        return service == o.service && label == o.label && label_prefix == o.label_prefix &&
               interface == o.interface &&
               target == o.target && channel == o.channel && child == o.child;
    }
};

// The most specific of `count` routes for `service` and client label `label` (Child::route_for),
// or null; the manager keeps a child's routes without the rest of its configuration.
const Route* best_route(const Route* routes, size_t count, Text service, Text label);

enum class RestartPolicy : uint8_t { Never, Always, OnFault };

struct Restart {
    RestartPolicy policy = RestartPolicy::Never;
    uint32_t limit = 0;      // OnFault: restarts allowed before the child stays stopped; 0 = none
    uint32_t backoff_ms = 0; // wait before each restart, doubled after each fault in a row
    Location where;
    bool operator==(const Restart& o) const
    {
        return policy == o.policy && limit == o.limit && backoff_ms == o.backoff_ms;
    }
};

struct Heartbeat {
    bool enabled = false;
    uint32_t period_ms = 0;
    uint32_t misses = 0; // missed beats in a row before the child counts as faulted
    Location where;
    bool operator==(const Heartbeat& o) const
    {
        return enabled == o.enabled && period_ms == o.period_ms && misses == o.misses;
    }
};

// A <manager> inside a <child>: the child runs a manager (its binary is the manager's program)
// whose configuration is this element. The parent reads it on its own (read_nested), from the
// text it was given in; the child keeps where it is and a fingerprint of its bytes, so that a
// changed nested configuration restarts the child.
struct Nested {
    bool present = false;
    uint32_t offset = 0; // of its '<' in the text the parent configuration was read from
    uint32_t length = 0; // up to and including its end tag
    uint64_t fingerprint = 0;
    Location where;
    bool operator==(const Nested& o) const
    {
        return present == o.present && length == o.length && fingerprint == o.fingerprint;
    }
};

// A nested manager's RAM is handed to it as whole chunks of its parent (docs/dynamic.md,
// "Nested managers"), at most as many as a manager's directory has untyped slots for.
constexpr uint64_t ChunkBytes = 64 * 1024;
constexpr uint64_t MaxNestedChunks = 32;

struct Child {
    Name name;
    Name binary; // a <program> name, or a file-system path when it starts with '/'
    // Or a static child protection domain of the manager's PD (Microkit's nested
    // <protection_domain>): supervised and restarted, its resources the description's.
    Name pd;
    uint32_t priority = 0;
    RamBytes ram{0};
    CapCount caps{0};
    Name version;
    ProvidedService provides[MaxProvides];
    size_t provides_count = 0;
    Route routes[MaxRoutes];
    size_t route_count = 0;
    Name devices[MaxChildDevices];
    Location device_where[MaxChildDevices];
    size_t device_count = 0;
    Restart restart;
    Heartbeat heartbeat;
    Nested manager; // present: the child is a manager of its own
    Location where;
    Location ram_where;
    Location caps_where;
    Location binary_where;
    Location pd_where;
    Location priority_where;

    // Same start: every attribute and nested element equal (locations aside).
    bool same_start(const Child& other) const;
    bool is_static() const { return !pd.text().is_empty(); }
    const ProvidedService* provided(Text service) const;
    // The route a session request of this child for `service` with client label `label` takes:
    // the most specific of those whose service matches (the whole label, else the longest
    // matching prefix, else one without a label), whatever their order. Null: no route, refused.
    const Route* route_for(Text service, Text label) const;
};

struct Config {
    Name name;
    Name pd; // in a .system: the protection domain that runs this manager
    RamBytes ram{0};
    CapCount caps{0};
    uint32_t max_priority = MaxPriority;
    Program programs[MaxPrograms];
    size_t program_count = 0;
    Device devices[MaxDevices];
    size_t device_count = 0;
    Child children[MaxChildren];
    size_t child_count = 0;
    Location where;
    Location ram_where;
    Location caps_where;
    Location pd_where;

    const Child* child(Text name) const;
    const Program* program(Text name) const;
    const Device* device(Text name) const;
};

} // namespace tessera::manager_config
