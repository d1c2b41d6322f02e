// Removes the extension elements from the document and appends the lowered ones where the
// parser would read them in the same order as lowering made them: regions and channels after
// the description's own, maps after each protection domain's own. The stripped description
// therefore compiles to the same image as the original.
#include "strip.h"

#include <pugixml.hpp>
#include <sstream>

#include "interfaces_parser.h"
#include "number.h"

namespace tessera::sdf {
namespace {

void remove_children(pugi::xml_node node, bool (*matches)(std::string_view))
{
    for (pugi::xml_node child = node.first_child(); child;) {
        pugi::xml_node next = child.next_sibling();
        if (child.type() == pugi::node_element && matches(child.name()))
            node.remove_child(child);
        child = next;
    }
}

// Protection domains nest; each one's own <provides> and <uses> go.
void strip_protection_domains(pugi::xml_node node, std::vector<pugi::xml_node>& domains)
{
    for (pugi::xml_node child : node.children("protection_domain")) {
        domains.push_back(child);
        remove_children(child, is_port_element);
        strip_protection_domains(child, domains);
    }
}

// XML comments may not hold "--": a name or file name that does cannot end the comment early.
std::string comment_text(std::string text)
{
    for (size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at))
        text.replace(at, 2, "- -");
    if (!text.empty() && text.back() == '-')
        text += ' ';
    return text;
}

void add_end(pugi::xml_node channel, const std::string& pd, uint64_t id, bool pp, bool notify)
{
    pugi::xml_node end = channel.append_child("end");
    end.append_attribute("pd") = pd.c_str();
    end.append_attribute("id") = std::to_string(id).c_str();
    if (pp)
        end.append_attribute("pp") = "true";
    end.append_attribute("notify") = notify ? "true" : "false";
}

} // namespace

std::optional<std::string> strip_system(std::string_view text, const System& system,
                                        const std::string& source, std::string& why)
{
    pugi::xml_document document;
    // As the parser reads it (parse_default), keeping comments; the XML declaration is written
    // afresh by save(), never parsed, since the parser does not read it either.
    const auto options = pugi::parse_default | pugi::parse_comments;
    const pugi::xml_parse_result result =
        document.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
    if (!result) {
        why = std::string("malformed XML: ") + result.description();
        return std::nullopt;
    }
    pugi::xml_node root = document.document_element();
    remove_children(root, is_interface_element);
    // Document order is the parser's order, which is the model's.
    std::vector<pugi::xml_node> domains;
    strip_protection_domains(root, domains);
    std::vector<pugi::xml_node> by_model_index;
    for (const ProtectionDomain& pd : system.protection_domains)
        for (pugi::xml_node node : domains)
            if (pd.name == node.attribute("name").value()) {
                by_model_index.push_back(node);
                break;
            }
    if (by_model_index.size() != system.protection_domains.size()) {
        why = "the description does not match its model";
        return std::nullopt;
    }

    const InterfaceSet& set = system.interfaces;
    for (const Connection& connection : set.connections) {
        if (!connection.resolved)
            continue;
        const Interface& interface = set.interfaces[connection.interface];
        const Port& use = set.ports[connection.user_port];
        const Port& provision = set.ports[connection.provider_port];
        const std::string& user = system.protection_domains[use.pd].name;
        const std::string& provider = system.protection_domains[provision.pd].name;
        root.append_child(pugi::node_comment)
            .set_value(comment_text(" " + source + ":" + std::to_string(connection.where.line) + ": '" +
                                    user + "' uses interface " + interface.name + " provided by '" +
                                    provider + "' ")
                           .c_str());
        for (size_t d = 0; d < connection.dataports.size(); ++d) {
            const DataportPlacement& placement = connection.dataports[d];
            pugi::xml_node region = root.append_child("memory_region");
            region.append_attribute("name") = placement.region.c_str();
            region.append_attribute("size") = hex(interface.dataports[d].size).c_str();
            for (auto [pd, vaddr] : {std::make_pair(use.pd, placement.user_vaddr),
                                     std::make_pair(provision.pd, placement.provider_vaddr)}) {
                pugi::xml_node map = by_model_index[pd].append_child("map");
                map.append_attribute("mr") = placement.region.c_str();
                map.append_attribute("vaddr") = hex(vaddr).c_str();
                map.append_attribute("perms") = "rw";
            }
        }
        if (connection.call) {
            pugi::xml_node channel = root.append_child("channel");
            add_end(channel, user, connection.call->user, true, false);
            add_end(channel, provider, connection.call->provider, false, false);
        }
        for (const ChannelIds& event : connection.events) {
            pugi::xml_node channel = root.append_child("channel");
            add_end(channel, user, event.user, false, false);
            add_end(channel, provider, event.provider, false, true);
        }
    }
    document.insert_child_before(pugi::node_comment, root)
        .set_value(comment_text(" The plain Microkit description of " + source +
                                ", written by `tessera strip`: its interfaces are gone, their "
                                "connections are the channels, memory regions and maps at the end. ")
                       .c_str());
    std::ostringstream out;
    document.save(out, "    ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

} // namespace tessera::sdf
