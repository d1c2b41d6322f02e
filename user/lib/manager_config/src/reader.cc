// Reads <manager> into a Config: every element and attribute it names, nothing else. Decode only:
// cross-references (routes, binaries, quotas) are check()'s job, so the reader reports syntax and
// values and keeps going, and one run lists every error.
#include <tessera/manager_config/manager_config.h>

#include <initializer_list>
#include <new>

#include "quantity.h"
#include "xml_scanner.h"

namespace tessera::manager_config {
namespace {

enum class Presence : uint8_t { Optional, Required };
// A whole file ends at </manager>; an element inside a .system is followed by the rest of it.
enum class Extent : uint8_t { WholeFile, ElementOnly };

class Reader {
public:
    Reader(Text source, size_t offset, Config& config, Diagnostics& diagnostics)
        : scanner_(source, offset), config_(config), diagnostics_(diagnostics)
    {
    }

    void document(Extent extent);

private:
    // One element's attributes: lookups mark what was used, so unknown ones can be reported.
    class Attributes {
    public:
        Attributes(Reader& reader, const Token& token) : reader_(reader), token_(token) {}
        const Attribute* find(const char* name) const;
        bool text(const char* name, Name& out, Location* where = nullptr,
                  Presence presence = Presence::Optional);
        bool path(const char* name, Path& out);
        bool count(const char* name, uint64_t& out, uint64_t maximum,
                   Presence presence = Presence::Optional, Location* where = nullptr);
        bool size(const char* name, uint64_t& out, Location* where);
        void allow(std::initializer_list<const char*> names);

    private:
        // The attribute, or null; a missing required one is reported at the element.
        const Attribute* lookup(const char* name, Presence presence, Location* where);

        Reader& reader_;
        const Token& token_;
    };

    template <class Visit> void children(const Token& parent, Visit visit);
    void skip(const Token& token);
    void unknown_element(const Token& token, Text parent, const char* expected);
    void error(Location where, const Message& message) { diagnostics_.error(where, message); }

    void manager(const Token& token);
    void program(const Token& token);
    void device(const Token& token);
    void child(const Token& token);
    void provides(const Token& token, Child& child);
    void route(const Token& token, Child& child);
    void route_service(const Token& token, Child& child);
    void restart(const Token& token, Child& child, bool& seen);
    void heartbeat(const Token& token, Child& child, bool& seen);
    void child_device(const Token& token, Child& child);
    void nested_manager(const Token& token, Child& child);

    Scanner scanner_;
    Config& config_;
    Diagnostics& diagnostics_;
    bool broken_ = false; // the XML itself is malformed: stop reading
};

const Attribute* Reader::Attributes::find(const char* name) const
{
    for (size_t i = 0; i < token_.attribute_count; ++i)
        if (token_.attributes[i].name == Text(name))
            return &token_.attributes[i];
    return nullptr;
}

void Reader::Attributes::allow(std::initializer_list<const char*> names)
{
    for (size_t i = 0; i < token_.attribute_count; ++i) {
        const Attribute& attribute = token_.attributes[i];
        bool known = false;
        for (const char* name : names)
            known = known || attribute.name == Text(name);
        if (known)
            continue;
        Message message;
        message << "unknown attribute ";
        message.quoted(attribute.name) << " on <" << token_.name << ">; expected ";
        if (names.size() == 0)
            message << "none";
        bool first = true;
        for (const char* name : names) {
            message << (first ? "" : ", ") << name;
            first = false;
        }
        reader_.error(attribute.where, message);
    }
}

const Attribute* Reader::Attributes::lookup(const char* name, Presence presence, Location* where)
{
    const Attribute* attribute = find(name);
    if (attribute == nullptr) {
        if (presence == Presence::Required) {
            Message message;
            reader_.error(token_.where,
                          message << "<" << token_.name << "> needs the attribute " << name);
        }
        return nullptr;
    }
    if (where != nullptr)
        *where = attribute->where;
    return attribute;
}

bool Reader::Attributes::text(const char* name, Name& out, Location* where, Presence presence)
{
    const Attribute* attribute = lookup(name, presence, where);
    if (attribute == nullptr)
        return false;
    if (!attribute->value_fits || !out.assign(attribute->value.text())) {
        Message message;
        reader_.error(attribute->where,
                      message << name << " is longer than " << uint64_t{NameCapacity} << " bytes");
        return false;
    }
    if (presence == Presence::Required && out.is_empty()) {
        Message message;
        reader_.error(attribute->where, message << name << " must not be empty");
        return false;
    }
    return true;
}

bool Reader::Attributes::path(const char* name, Path& out)
{
    const Attribute* attribute = lookup(name, Presence::Required, nullptr);
    if (attribute == nullptr)
        return false;
    if (!attribute->value_fits || !out.assign(attribute->value.text()) || out.is_empty()) {
        Message message;
        reader_.error(attribute->where,
                      message << name << " must be 1 to " << uint64_t{PathCapacity} << " bytes");
        return false;
    }
    return true;
}

bool Reader::Attributes::count(const char* name, uint64_t& out, uint64_t maximum, Presence presence,
                               Location* where)
{
    const Attribute* attribute = lookup(name, presence, where);
    if (attribute == nullptr)
        return false;
    uint64_t value = 0;
    if (!parse_count(attribute->value.text(), value) || value > maximum) {
        Message message;
        message << name << " ";
        message.quoted(attribute->value.text()) << " is not a number from 0 to " << maximum;
        reader_.error(attribute->where, message);
        return false;
    }
    out = value;
    return true;
}

bool Reader::Attributes::size(const char* name, uint64_t& out, Location* where)
{
    const Attribute* attribute = lookup(name, Presence::Required, where);
    if (attribute == nullptr)
        return false;
    uint64_t value = 0;
    if (!parse_size(attribute->value.text(), value)) {
        Message message;
        message << name << " ";
        message.quoted(attribute->value.text())
            << " is not a size (bytes, or a number with K, M or G)";
        reader_.error(attribute->where, message);
        return false;
    }
    out = value;
    return true;
}

// Visits each child element of `parent` until its end tag. The token passed to `visit` lives on
// this frame, so nested elements each have their own.
template <class Visit> void Reader::children(const Token& parent, Visit visit)
{
    if (parent.self_closing)
        return;
    Token token;
    while (!broken_) {
        scanner_.next(token);
        switch (token.kind) {
        case TokenKind::StartTag:
            visit(token);
            break;
        case TokenKind::EndTag:
            if (!(token.name == parent.name)) {
                Message message;
                error(token.where, message << "expected </" << parent.name << ">, found </"
                                           << token.name << ">");
                broken_ = true;
            }
            return;
        case TokenKind::End: {
            Message message;
            error(token.where, message << "the file ends before </" << parent.name << ">");
            broken_ = true;
            return;
        }
        case TokenKind::Error: {
            Message message;
            error(token.where, message << "malformed XML: " << token.error);
            broken_ = true;
            return;
        }
        }
    }
}

void Reader::skip(const Token& token)
{
    children(token, [&](const Token& inner) { skip(inner); });
}

void Reader::unknown_element(const Token& token, Text parent, const char* expected)
{
    Message message;
    error(token.where, message << "unknown element <" << token.name << "> in <" << parent
                               << ">; expected " << expected);
    skip(token);
}

void Reader::document(Extent extent)
{
    Token token;
    scanner_.next(token);
    if (token.kind == TokenKind::Error) {
        Message message;
        error(token.where, message << "malformed XML: " << token.error);
        return;
    }
    if (token.kind != TokenKind::StartTag || !(token.name == Text("manager"))) {
        Message message;
        if (token.kind == TokenKind::StartTag)
            message << "root element is <" << token.name << ">, expected <manager>";
        else
            message << "expected <manager>";
        error(token.where, message);
        return;
    }
    manager(token);
    if (extent == Extent::ElementOnly || broken_)
        return;
    Token after;
    scanner_.next(after);
    if (after.kind != TokenKind::End) {
        Message message;
        error(after.where, message << "nothing may follow </manager>");
    }
}

void Reader::manager(const Token& token)
{
    config_.where = token.where;
    Attributes attributes(*this, token);
    attributes.allow({"name", "pd", "ram", "caps", "max_priority"});
    attributes.text("name", config_.name);
    attributes.text("pd", config_.pd, &config_.pd_where);
    uint64_t value = 0;
    if (attributes.size("ram", value, &config_.ram_where))
        config_.ram = RamBytes{value};
    if (attributes.count("caps", value, UINT32_MAX, Presence::Required, &config_.caps_where))
        config_.caps = CapCount{value};
    if (attributes.count("max_priority", value, MaxPriority))
        config_.max_priority = static_cast<uint32_t>(value);
    children(token, [&](const Token& inner) {
        if (inner.name == Text("child"))
            child(inner);
        else if (inner.name == Text("program"))
            program(inner);
        else if (inner.name == Text("device"))
            device(inner);
        else
            unknown_element(inner, token.name, "child, program, device");
    });
}

void Reader::program(const Token& token)
{
    Attributes attributes(*this, token);
    attributes.allow({"name", "path", "pd"});
    if (config_.program_count == MaxPrograms) {
        Message message;
        error(token.where, message << "more than " << uint64_t{MaxPrograms} << " programs");
    } else {
        Program& program = config_.programs[config_.program_count];
        program.where = token.where;
        const bool named = attributes.text("name", program.name, nullptr, Presence::Required);
        // A file (path=) or a template protection domain (pd=), never both.
        const Attribute* pd = attributes.find("pd");
        bool found = false;
        if (pd != nullptr && attributes.find("path") != nullptr) {
            Message message;
            error(pd->where, message << "a program takes path= or pd=, not both");
        } else if (pd != nullptr) {
            found = attributes.text("pd", program.pd, &program.pd_where, Presence::Required);
        } else {
            found = attributes.path("path", program.path);
        }
        if (found && named)
            ++config_.program_count;
    }
    children(token, [&](const Token& inner) { unknown_element(inner, token.name, "none"); });
}

void Reader::device(const Token& token)
{
    Attributes attributes(*this, token);
    attributes.allow({"name", "pd", "reset"});
    if (config_.device_count == MaxDevices) {
        Message message;
        error(token.where, message << "more than " << uint64_t{MaxDevices} << " devices");
    } else {
        Device& device = config_.devices[config_.device_count];
        device = Device{};
        device.where = token.where;
        attributes.text("pd", device.pd, &device.pd_where);
        Name reset;
        if (attributes.text("reset", reset, nullptr)) {
            if (reset == Text("virtio"))
                device.reset = DeviceReset::Virtio;
            else if (!(reset == Text("none"))) {
                Message message;
                message << "reset ";
                message.quoted(reset.text()) << " is not one of none, virtio";
                error(attributes.find("reset")->where, message);
            }
        }
        if (attributes.text("name", device.name, nullptr, Presence::Required))
            ++config_.device_count;
    }
    children(token, [&](const Token& inner) { unknown_element(inner, token.name, "none"); });
}

void Reader::child(const Token& token)
{
    if (config_.child_count == MaxChildren) {
        Message message;
        error(token.where, message << "more than " << uint64_t{MaxChildren} << " children");
        skip(token);
        return;
    }
    Child& child = config_.children[config_.child_count++];
    new (&child) Child();
    child.where = token.where;
    Attributes attributes(*this, token);
    attributes.allow({"name", "binary", "pd", "priority", "ram", "caps", "version"});
    attributes.text("name", child.name, nullptr, Presence::Required);
    uint64_t value = 0;
    if (attributes.find("pd") != nullptr) {
        // A static child protection domain the manager supervises: its program, priority and
        // resources are the description's, so what would give them here is refused.
        attributes.text("pd", child.pd, &child.pd_where, Presence::Required);
        for (const char* fixed : {"binary", "priority", "ram", "caps"}) {
            if (const Attribute* attribute = attributes.find(fixed)) {
                Message message;
                error(attribute->where, message << "a child with pd= takes no " << fixed
                                                << ": the protection domain's is fixed");
            }
        }
    } else {
        attributes.text("binary", child.binary, &child.binary_where, Presence::Required);
        if (attributes.count("priority", value, MaxPriority, Presence::Optional, &child.priority_where))
            child.priority = static_cast<uint32_t>(value);
        if (attributes.size("ram", value, &child.ram_where))
            child.ram = RamBytes{value};
        if (attributes.count("caps", value, UINT32_MAX, Presence::Required, &child.caps_where))
            child.caps = CapCount{value};
    }
    attributes.text("version", child.version);
    bool seen_provides = false, seen_route = false, seen_restart = false, seen_heartbeat = false,
         seen_manager = false;
    auto once = [&](const Token& inner, bool& seen) {
        if (seen) {
            Message message;
            error(inner.where, message << "a second <" << inner.name << "> in <child>");
        }
        seen = true;
    };
    children(token, [&](const Token& inner) {
        if (child.is_static() && !(inner.name == Text("restart"))) {
            // A static PD's channels and devices are the description's.
            Message message;
            error(inner.where, message << "a child with pd= takes only <restart>, not <" << inner.name << ">");
            skip(inner);
        } else if (inner.name == Text("provides")) {
            once(inner, seen_provides);
            provides(inner, child);
        } else if (inner.name == Text("route")) {
            once(inner, seen_route);
            route(inner, child);
        } else if (inner.name == Text("restart")) {
            restart(inner, child, seen_restart);
        } else if (inner.name == Text("heartbeat")) {
            heartbeat(inner, child, seen_heartbeat);
        } else if (inner.name == Text("device")) {
            child_device(inner, child);
        } else if (inner.name == Text("manager")) {
            once(inner, seen_manager);
            nested_manager(inner, child);
        } else {
            unknown_element(inner, token.name, "provides, route, restart, heartbeat, device, manager");
        }
    });
}

void Reader::provides(const Token& token, Child& child)
{
    Attributes(*this, token).allow({});
    children(token, [&](const Token& inner) {
        if (!(inner.name == Text("service")))
            return unknown_element(inner, token.name, "service");
        Attributes attributes(*this, inner);
        attributes.allow({"name", "interface"});
        if (child.provides_count == MaxProvides) {
            Message message;
            error(inner.where, message << "more than " << uint64_t{MaxProvides}
                                       << " services in one <provides>");
        } else {
            ProvidedService& service = child.provides[child.provides_count];
            service.where = inner.where;
            attributes.text("interface", service.interface);
            if (attributes.text("name", service.name, nullptr, Presence::Required))
                ++child.provides_count;
        }
        children(inner, [&](const Token& deeper) { unknown_element(deeper, inner.name, "none"); });
    });
}

void Reader::route(const Token& token, Child& child)
{
    Attributes(*this, token).allow({});
    children(token, [&](const Token& inner) {
        if (!(inner.name == Text("service")))
            return unknown_element(inner, token.name, "service");
        route_service(inner, child);
    });
}

void Reader::route_service(const Token& token, Child& child)
{
    Attributes attributes(*this, token);
    attributes.allow({"name", "label", "label_prefix", "interface"});
    Route scratch;
    const bool room = child.route_count < MaxRoutes;
    if (!room) {
        Message message;
        error(token.where,
              message << "more than " << uint64_t{MaxRoutes} << " services in one <route>");
    }
    Route& route = room ? child.routes[child.route_count] : scratch;
    route = Route{};
    route.where = token.where;
    const bool named = attributes.text("name", route.service, nullptr, Presence::Required);
    Location prefix_where;
    attributes.text("label", route.label);
    attributes.text("label_prefix", route.label_prefix, &prefix_where);
    if (!route.label.is_empty() && !route.label_prefix.is_empty()) {
        Message message;
        error(prefix_where, message << "a route matches a whole label or a label prefix, not both");
    }
    attributes.text("interface", route.interface);
    size_t targets = 0;
    children(token, [&](const Token& inner) {
        Attributes target(*this, inner);
        if (inner.name == Text("channel")) {
            target.allow({"id"});
            uint64_t id = 0;
            if (target.count("id", id, 62, Presence::Required))
                route.channel = static_cast<uint32_t>(id);
            route.target = RouteTarget::Channel;
        } else if (inner.name == Text("child")) {
            target.allow({"name"});
            target.text("name", route.child, nullptr, Presence::Required);
            route.target = RouteTarget::Child;
        } else if (inner.name == Text("parent")) {
            target.allow({});
            route.target = RouteTarget::Parent;
        } else {
            return unknown_element(inner, token.name, "channel, child, parent");
        }
        route.target_where = inner.where;
        if (++targets == 2) {
            Message message;
            error(inner.where, message << "a route's <service> has exactly one target");
        }
        children(inner, [&](const Token& deeper) { unknown_element(deeper, inner.name, "none"); });
    });
    if (targets == 0 && !broken_) {
        Message message;
        message << "the route for ";
        message.quoted(route.service.text()) << " has no target (channel, child or parent)";
        error(token.where, message);
    }
    if (room && named)
        ++child.route_count;
}

void Reader::restart(const Token& token, Child& child, bool& seen)
{
    if (seen) {
        Message message;
        error(token.where, message << "a second <restart> in <child>");
    }
    seen = true;
    Restart& restart = child.restart;
    restart.where = token.where;
    Attributes attributes(*this, token);
    attributes.allow({"policy", "limit", "backoff_ms"});
    Name policy;
    if (attributes.text("policy", policy, nullptr, Presence::Required)) {
        if (policy == Text("never"))
            restart.policy = RestartPolicy::Never;
        else if (policy == Text("always"))
            restart.policy = RestartPolicy::Always;
        else if (policy == Text("on-fault"))
            restart.policy = RestartPolicy::OnFault;
        else {
            Message message;
            message << "policy ";
            message.quoted(policy.text()) << " is not one of never, always, on-fault";
            error(attributes.find("policy")->where, message);
        }
    }
    uint64_t value = 0;
    if (attributes.count("limit", value, UINT32_MAX)) {
        restart.limit = static_cast<uint32_t>(value);
        if (restart.policy == RestartPolicy::Never) {
            Message message;
            error(attributes.find("limit")->where,
                  message << "limit has no meaning with policy 'never'");
        }
    }
    if (attributes.count("backoff_ms", value, 3600000))
        restart.backoff_ms = static_cast<uint32_t>(value);
    children(token, [&](const Token& inner) { unknown_element(inner, token.name, "none"); });
}

void Reader::heartbeat(const Token& token, Child& child, bool& seen)
{
    if (seen) {
        Message message;
        error(token.where, message << "a second <heartbeat> in <child>");
    }
    seen = true;
    Heartbeat& heartbeat = child.heartbeat;
    heartbeat.where = token.where;
    heartbeat.enabled = true;
    heartbeat.misses = 3;
    Attributes attributes(*this, token);
    attributes.allow({"period_ms", "misses"});
    uint64_t value = 0;
    Location where;
    if (attributes.count("period_ms", value, 3600000, Presence::Required, &where)) {
        heartbeat.period_ms = static_cast<uint32_t>(value);
        if (value == 0) {
            Message message;
            error(where, message << "period_ms must be at least 1");
        }
    }
    if (attributes.count("misses", value, 1000, Presence::Optional, &where)) {
        heartbeat.misses = static_cast<uint32_t>(value);
        if (value == 0) {
            Message message;
            error(where, message << "misses must be at least 1");
        }
    }
    children(token, [&](const Token& inner) { unknown_element(inner, token.name, "none"); });
}

// A nested <manager>: only where it is; read_nested reads it as a configuration of its own, so
// that its errors are reported once, by the check that knows its parent.
void Reader::nested_manager(const Token& token, Child& child)
{
    const Text source = scanner_.source();
    const size_t begin = static_cast<size_t>(token.name.data - source.data) - 1; // its '<'
    skip(token);
    const size_t end = scanner_.position();
    Nested& nested = child.manager;
    nested.present = true;
    nested.where = token.where;
    nested.offset = static_cast<uint32_t>(begin);
    nested.length = static_cast<uint32_t>(end - begin);
    // FNV-1a: equal texts, equal fingerprints; a change is caught with near certainty.
    uint64_t hash = 0xcbf29ce484222325u;
    for (size_t i = begin; i < end; ++i)
        hash = (hash ^ static_cast<uint8_t>(source.data[i])) * 0x100000001b3u;
    nested.fingerprint = hash;
}

void Reader::child_device(const Token& token, Child& child)
{
    Attributes attributes(*this, token);
    attributes.allow({"name"});
    if (child.device_count == MaxChildDevices) {
        Message message;
        error(token.where,
              message << "more than " << uint64_t{MaxChildDevices} << " devices for one child");
    } else if (attributes.text("name", child.devices[child.device_count], nullptr,
                               Presence::Required)) {
        child.device_where[child.device_count++] = token.where;
    }
    children(token, [&](const Token& inner) { unknown_element(inner, token.name, "none"); });
}

} // namespace

bool read_file(Text source, Config& config, Diagnostics& diagnostics)
{
    const size_t before = diagnostics.count();
    new (&config) Config(); // in place: a Config is too large for a temporary on a small stack
    Reader(source, 0, config, diagnostics).document(Extent::WholeFile);
    return diagnostics.count() == before;
}

bool read_element(Text source, size_t offset, Config& config, Diagnostics& diagnostics)
{
    const size_t before = diagnostics.count();
    new (&config) Config(); // in place: a Config is too large for a temporary on a small stack
    Reader(source, offset, config, diagnostics).document(Extent::ElementOnly);
    return diagnostics.count() == before;
}

} // namespace tessera::manager_config
