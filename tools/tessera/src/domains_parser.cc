#include "domains_parser.h"

#include <set>

#include "number.h"

namespace tessera::sdf {
namespace {

// "1000 us" or "5 ticks" (Microkit's duration: a value, one space, a unit) in kernel ticks.
// Microseconds become the nearest whole number of ticks; one that rounds to none is refused,
// as Microkit's loader refuses to boot rather than run a different schedule.
std::optional<uint64_t> duration_ticks(Element& e)
{
    const auto text = e.required_text("duration");
    if (!text)
        return std::nullopt;
    const size_t space = text->find(' ');
    if (space == std::string::npos) {
        e.error("duration", "the duration '" + *text + "' must contain a value and a unit, e.g. '1000 us'");
        return std::nullopt;
    }
    const std::string unit = text->substr(space + 1);
    const auto value = parse_integer(std::string_view(*text).substr(0, space));
    if (!value) {
        e.error("duration", "the duration '" + *text + "' does not start with a number");
        return std::nullopt;
    }
    if (*value == 0) {
        e.error("duration", "the duration '" + *text + "' must be non-zero");
        return std::nullopt;
    }
    uint64_t ticks = 0;
    if (unit == "ticks") {
        ticks = *value;
    } else if (unit == "us") {
        ticks = *value / KernelTickMicroseconds + (*value % KernelTickMicroseconds >= KernelTickMicroseconds / 2);
        if (ticks == 0) {
            e.error("duration", "the duration '" + *text + "' is less than half of the kernel's " +
                                    std::to_string(KernelTickMicroseconds) + " us timer tick");
            return std::nullopt;
        }
    } else {
        e.error("duration", "the duration '" + *text + "' must be in either 'ticks' or 'us'");
        return std::nullopt;
    }
    if (ticks > TESSERA_DOMAIN_MAX_DURATION) {
        e.error("duration", "the duration '" + *text + "' does not fit the kernel's 56 bits of ticks");
        return std::nullopt;
    }
    return ticks;
}

void read_schedule(pugi::xml_node node, const ElementContext& context, Domains& domains)
{
    Element e = context(node);
    e.allow({"start_index", "index_shift"});
    domains.start_index = e.number_or("start_index", 0);
    domains.index_shift = e.number_or("index_shift", 0);
    each_child_element(node, [&](pugi::xml_node child_node) {
        Element child = context(child_node);
        const std::string name = child.name();
        if (name == "schedule_entry") {
            child.allow({"domain", "duration"});
            const auto domain = child.required_text("domain");
            const auto ticks = duration_ticks(child);
            if (domain && ticks)
                domains.schedule.push_back(DomainScheduleEntry{*domain, 0, *ticks, child.where()});
        } else if (name == "schedule_end_marker") {
            child.allow({});
            domains.schedule.push_back(DomainScheduleEntry{"", 0, 0, child.where()});
        } else {
            child.error("unknown element <" + name +
                        "> in <domain_schedule>; expected one of 'schedule_entry', 'schedule_end_marker'");
        }
    });
    const uint64_t length = domains.schedule.size();
    if (length == 0)
        e.error("the domain schedule has no <schedule_entry>");
    else if (domains.start_index >= length)
        e.error("start_index", "start_index " + std::to_string(domains.start_index) +
                                   " is not less than the length of the schedule (" + std::to_string(length) + ")");
    else if (domains.schedule[domains.start_index].ticks == 0)
        e.error("start_index", "start_index " + std::to_string(domains.start_index) +
                                   " names a <schedule_end_marker>: the kernel starts only at an entry");
    // The kernel's last entry always stays an end marker, which ends the schedule.
    if (domains.index_shift + length >= TESSERA_DOMAIN_SCHEDULE_LENGTH)
        e.error(domains.index_shift == 0 ? "the domain schedule has " + std::to_string(length) +
                                               " entries; the kernel holds " +
                                               std::to_string(TESSERA_DOMAIN_SCHEDULE_LENGTH - 1)
                                         : "index_shift " + std::to_string(domains.index_shift) + " and " +
                                               std::to_string(length) + " entries exceed the kernel's " +
                                               std::to_string(TESSERA_DOMAIN_SCHEDULE_LENGTH - 1));
}

} // namespace

void read_domains(pugi::xml_node node, const ElementContext& context, System& system)
{
    Element e = context(node);
    e.allow({});
    if (system.domains) {
        e.error("second <domains>; a system has one domain schedule");
        return;
    }
    Domains domains;
    domains.where = e.where();
    std::set<std::string> names;
    std::set<uint64_t> ids;
    bool has_schedule = false;
    each_child_element(node, [&](pugi::xml_node child_node) {
        Element child = context(child_node);
        const std::string name = child.name();
        if (name == "domain") {
            child.allow({"name", "id"});
            const auto domain = child.required_text("name");
            const auto id = child.number("id");
            if (id && *id >= TESSERA_DOMAIN_COUNT) {
                child.error("id", "domain id " + std::to_string(*id) + " is out of range, expected 0 to " +
                                      std::to_string(TESSERA_DOMAIN_COUNT - 1));
                return;
            }
            if (domain && !names.insert(*domain).second) {
                child.error("name", "second domain named '" + *domain + "'");
                return;
            }
            if (id && !ids.insert(*id).second) {
                child.error("id", "domain id " + std::to_string(*id) + " is already used");
                return;
            }
            if (domain)
                domains.names.push_back(DomainName{*domain, id, child.where()});
        } else if (name == "domain_schedule") {
            if (has_schedule) {
                child.error("second <domain_schedule>; <domains> has exactly one");
                return;
            }
            has_schedule = true;
            read_schedule(child_node, context, domains);
        } else {
            child.error("unknown element <" + name + "> in <domains>; expected one of 'domain', 'domain_schedule'");
        }
    });
    if (!has_schedule)
        e.error("<domains> has no <domain_schedule>; it needs exactly one");
    system.domains = std::move(domains);
}

void resolve_domains(System& system, Diagnostics& diagnostics)
{
    if (!system.domains) {
        for (const ProtectionDomain& pd : system.protection_domains)
            if (!pd.domain.empty())
                diagnostics.error(pd.domain_where, "domain '" + pd.domain + "' given without a domain schedule: "
                                                   "declare the domains in <domains>");
        return;
    }
    Domains& domains = *system.domains;
    std::set<uint64_t> taken;
    for (const DomainName& name : domains.names)
        if (name.id)
            taken.insert(*name.id);
    for (DomainName& name : domains.names) {
        if (name.id)
            continue;
        uint64_t free = 0;
        while (free < TESSERA_DOMAIN_COUNT && taken.count(free) != 0)
            ++free;
        if (free == TESSERA_DOMAIN_COUNT) {
            diagnostics.error(name.where, "domain '" + name.name + "' is one more than the kernel's " +
                                              std::to_string(TESSERA_DOMAIN_COUNT) + " domains");
            continue;
        }
        name.id = free;
        taken.insert(free);
    }
    auto id_of = [&](const std::string& domain) -> std::optional<uint64_t> {
        for (const DomainName& name : domains.names)
            if (name.name == domain)
                return name.id;
        return std::nullopt;
    };
    for (DomainScheduleEntry& entry : domains.schedule) {
        if (entry.ticks == 0)
            continue;
        if (auto id = id_of(entry.domain))
            entry.domain_id = *id;
        else
            diagnostics.error(entry.where, "domain '" + entry.domain + "' is not declared in <domains>");
    }
    for (ProtectionDomain& pd : system.protection_domains) {
        if (pd.domain.empty())
            diagnostics.error(pd.where, "protection domain '" + pd.name +
                                            "' has no domain attribute; with a domain schedule every "
                                            "protection domain names its domain");
        else if (auto id = id_of(pd.domain))
            pd.domain_id = *id;
        else
            diagnostics.error(pd.domain_where, "domain '" + pd.domain + "' is not declared in <domains>");
    }
}

} // namespace tessera::sdf
