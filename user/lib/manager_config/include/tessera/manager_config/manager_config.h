// The manager configuration's entry points: read `<manager>` from text, check it against what the
// manager holds, and compute what changes between the running configuration and a new one.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/manager_config/config.h>
#include <tessera/manager_config/diagnostics.h>
#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

// Reads a configuration file whose root element is <manager> (an optional <?xml?> declaration and
// comments may precede it). Rejects every element and attribute it does not name. Returns true when
// nothing was reported; on false, `config` holds what could be read and must not be applied.
bool read_file(Text source, Config& config, Diagnostics& diagnostics);

// Reads the <manager> element that starts at byte `offset` of `source` (the '<'), as `tessera
// check` does for the element inside a .system file, so that locations are the file's own.
bool read_element(Text source, size_t offset, Config& config, Diagnostics& diagnostics);

// One thing a manager can start children from, as its image holds it (the manager's directory,
// docs/dynamic.md "Resources"): a packed program file, a template (its program and its
// protection domain), a static child protection domain it supervises, or a device (a
// template's resources, named).
enum class PackedKind : uint8_t { File, Template, StaticPd, Device };
struct Packed {
    PackedKind kind = PackedKind::File;
    Text name; // the <program> name, the static PD's name, or the device's
    Text pd;   // Template, Device: the protection domain it was made from
};

// What the checks know of the world outside the configuration.
struct Environment {
    // The static channels of the manager's protection domain that routes may name; when
    // `channels_known` is false (the manager does not know its own ids) they are not checked.
    const uint32_t* channels = nullptr;
    size_t channel_count = 0;
    bool channels_known = false;
    // Beside `channels` (same length) or null: the typed interface each channel carries (a
    // channel lowered from a typed <connection>, docs/interfaces.md), empty for a plain channel.
    const Text* channel_interfaces = nullptr;
    // The typed interfaces the system declares; when `interfaces_known` is false (a file the
    // manager loads at run time) interface names are not looked up.
    const Text* interfaces = nullptr;
    size_t interface_count = 0;
    bool interfaces_known = false;
    // True for a manager with no manager above it (one in a static system: all of them until
    // nested managers exist): a <parent/> route could never be served, so it is an error.
    bool without_parent = false;
    // What the manager's image holds (a manager at run time reads it from its directory): every
    // <program> must name one (a file by name, a template by name and pd) and every <child pd>
    // a supervised PD, since nothing else can be started. When `packed_known` is false
    // (`tessera check`, which packs what the configuration names) they are not looked up.
    const Packed* packed = nullptr;
    size_t packed_count = 0;
    bool packed_known = false;
};

// The semantic checks: names unique and defined, quotas within the manager's, routes to services
// that exist with matching interfaces (check_types.cc) and no cycle, devices given to one child at
// most, policies consistent. Reports into `diagnostics`; returns true when it reported nothing.
bool check(const Config& config, const Environment& environment, Diagnostics& diagnostics);

// Reads the nested <manager> of `child` (a child of `parent`, both read from `source`) into
// `nested` and checks it as a configuration of its own, in the world its parent gives it: no
// static channels, its programs only the parent's program files (the parent hands them on), its
// <parent/> routes only for services the child has a route for, its quotas whole chunks that fit
// in the child's with room to run the manager. Nested managers inside it are not read: the caller
// reads them in turn (`tessera check`), or the nested manager itself when it starts.
bool read_nested(Text source, const Config& parent, const Child& child,
                 const Environment& parent_environment, Config& nested, Diagnostics& diagnostics);

// read_file and check in one call, as the manager does for `manager load PATH`; with `nested`
// (room for one configuration) also read_nested for each child that runs a manager, which is an
// error without it.
bool load(Text source, const Environment& environment, Config& config, Diagnostics& diagnostics,
          Config* nested = nullptr);

// Children by name: started, stopped, restarted (any attribute or nested element changed, including
// `version`) and kept running. Stops are in reverse order of the running configuration, starts and
// restarts in the order of the new one, so a server listed before its clients starts first.
struct Difference {
    Name start[MaxChildren];
    size_t start_count = 0;
    Name stop[MaxChildren];
    size_t stop_count = 0;
    Name restart[MaxChildren];
    size_t restart_count = 0;
    Name keep[MaxChildren];
    size_t keep_count = 0;
    bool is_empty() const { return start_count + stop_count + restart_count == 0; }
};

Difference difference(const Config& running, const Config& next);

} // namespace tessera::manager_config
