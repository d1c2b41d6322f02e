// Reads Tessera's interface elements of a .system file: <interface> and <connection> under
// <system>, <provides> and <uses> under <protection_domain>. Everything one element can tell
// is checked here; what needs the whole system is checked by interfaces_resolve.h.
#pragma once

#include <string_view>

#include "interfaces_model.h"
#include "xml_element.h"

namespace tessera::sdf {

// True for the names of the elements read here that may appear under <system>.
bool is_interface_element(std::string_view name);
// True for the names of the elements read here that may appear under <protection_domain>.
bool is_port_element(std::string_view name);

// Reads an <interface> or <connection> element into interfaces.
void read_interface_element(pugi::xml_node node, const ElementContext& context,
                            InterfaceSet& interfaces);

// Reads a <connection> element (interfaces_ports_parser.cc).
void read_connection_element(pugi::xml_node node, const ElementContext& context,
                             InterfaceSet& interfaces);

// Reads a <provides> or <uses> element of protection domain `pd` (its index).
void read_port_element(pugi::xml_node node, const ElementContext& context, size_t pd,
                       InterfaceSet& interfaces);

} // namespace tessera::sdf
