// XML to the model of ports and connections: <provides> and <uses> in a protection domain,
// <connection> with its two ends. As everywhere in the parser, every problem is reported.
#include <algorithm>

#include "interfaces_identifier.h"
#include "interfaces_parser.h"

namespace tessera::sdf {

bool is_interface_element(std::string_view name)
{
    return name == "interface" || name == "connection";
}

bool is_port_element(std::string_view name) { return name == "provides" || name == "uses"; }

void read_connection_element(pugi::xml_node node, const ElementContext& context, InterfaceSet& interfaces)
{
    Element e = context(node);
    e.allow({});
    std::vector<ConnectionEnd> ends;
    size_t end_elements = 0;
    bool valid = true;
    each_child_element(node, [&](pugi::xml_node child) {
        Element c = context(child);
        if (std::string_view(child.name()) != "end") {
            c.error("unknown element <" + c.name() + "> in <connection>; expected 'end'");
            return;
        }
        ++end_elements;
        c.allow({"pd", "uses", "provides", "id"});
        ConnectionEnd end;
        end.where = c.where();
        auto pd = c.required_text("pd");
        const bool uses = c.has("uses"), provides = c.has("provides");
        if (uses == provides) {
            c.error("<end> of a connection needs exactly one of the attributes 'uses' and "
                    "'provides', naming a port of the protection domain");
            valid = false;
            return;
        }
        end.role = uses ? Role::Uses : Role::Provides;
        end.port = *c.text(uses ? "uses" : "provides");
        if (c.has("id")) {
            auto id = c.required_id();
            if (!id) {
                valid = false;
                return;
            }
            end.id = id;
        }
        if (!pd) {
            valid = false;
            return;
        }
        end.pd = *pd;
        ends.push_back(end);
    });
    if (end_elements != 2) {
        e.error("<connection> has " + std::to_string(end_elements) +
                " <end> elements, expected exactly two (one uses, one provides)");
        return;
    }
    if (!valid)
        return;
    if (ends[0].role == ends[1].role) {
        e.error(std::string("both ends of the connection ") +
                (ends[0].role == Role::Uses ? "use" : "provide") +
                ", expected one end that uses and one that provides");
        return;
    }
    Connection connection;
    connection.where = e.where();
    connection.user = ends[0].role == Role::Uses ? ends[0] : ends[1];
    connection.provider = ends[0].role == Role::Uses ? ends[1] : ends[0];
    interfaces.connections.push_back(connection);
}


void read_port_element(pugi::xml_node node, const ElementContext& context, size_t pd,
                       InterfaceSet& interfaces)
{
    Element e = context(node);
    const bool uses = std::string_view(node.name()) == "uses";
    if (uses)
        e.allow({"interface", "name", "calls"});
    else
        e.allow({"interface", "name"});
    Port port;
    port.pd = pd;
    port.role = uses ? Role::Uses : Role::Provides;
    port.where = e.where();
    auto interface = identifier(e, "interface");
    std::optional<std::string> name = interface;
    if (e.has("name"))
        name = identifier(e);
    if (auto calls = e.text("calls")) {
        port.calls_where = e.where("calls");
        std::vector<std::string> methods;
        size_t at = 0;
        while (at < calls->size()) {
            const size_t start = calls->find_first_not_of(' ', at);
            if (start == std::string::npos)
                break;
            const size_t end = std::min(calls->find(' ', start), calls->size());
            methods.push_back(calls->substr(start, end - start));
            at = end;
        }
        port.calls = methods;
    }
    if (!interface || !name)
        return;
    port.interface = *interface;
    port.name = *name;
    interfaces.ports.push_back(port);
}

} // namespace tessera::sdf
