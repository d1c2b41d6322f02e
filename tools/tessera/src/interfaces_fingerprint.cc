// FNV-1a over canonical text: stable across runs, machines and compilers.
#include "interfaces_fingerprint.h"

#include <cstdio>

#include "interfaces_names.h"
#include "interfaces_types.h"

namespace tessera::sdf {
namespace {

uint64_t fnv1a(const std::string& text)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

const char* direction_name(Direction direction)
{
    return direction == Direction::In ? "in" : direction == Direction::Out ? "out" : "inout";
}

} // namespace

std::string interface_contract(const Interface& interface)
{
    std::string text = "interface " + interface.name + "\n";
    for (const EnumType& type : interface.enums) {
        text += "enum " + type.name;
        for (const EnumValue& value : type.values)
            text += " " + value.name + "=" + std::to_string(value.value);
        text += "\n";
    }
    for (const StructType& type : interface.structs) {
        text += "struct " + type.name;
        for (const StructField& field : type.fields)
            text += " " + field.name + ":" + canonical_spelling(field.type, interface);
        text += "\n";
    }
    for (const ErrorCode& error : interface.errors)
        text += "error " + error.name + "=" + std::to_string(error.code) + "\n";
    for (const Method& method : interface.methods) {
        text += "method " + std::to_string(method.number) + " " + method.name;
        if (!method.buffer.empty())
            text += " buffer=" + method.buffer;
        for (const Parameter& parameter : method.parameters)
            text += std::string(" ") + direction_name(parameter.direction) + " " + parameter.name +
                    ":" + canonical_spelling(parameter.type, interface);
        if (method.result)
            text += " return:" + canonical_spelling(method.result->type, interface);
        text += "\n";
    }
    for (const Event& event : interface.events)
        text += "event " + event.name + "\n";
    for (const Dataport& dataport : interface.dataports)
        text += "dataport " + dataport.name + ":" + canonical_spelling(dataport.type, interface) +
                " size=" + std::to_string(dataport.size) + "\n";
    return text;
}

uint32_t interface_fingerprint(const Interface& interface)
{
    const uint64_t hash = fnv1a(interface_contract(interface));
    const uint32_t folded = static_cast<uint32_t>(hash ^ (hash >> 32));
    return folded == 0 ? 1 : folded;
}

uint64_t interface_generation(const System& system, size_t index)
{
    const Interface& interface = system.interfaces.interfaces[index];
    const InterfaceNames names(system, interface);
    std::string text = "generator " + std::to_string(GeneratorVersion) + "\n" + interface_contract(interface);
    for (const Port& port : system.interfaces.ports)
        if (port.interface == interface.name)
            text += std::string(port.role == Role::Uses ? "uses " : "provides ") + names.port_stem(port) + "\n";
    for (const Connection& connection : system.interfaces.connections) {
        if (!connection.resolved || connection.interface != index)
            continue;
        text += "connection " + names.port_stem(system.interfaces.ports[connection.user_port]) + " " +
                names.port_stem(system.interfaces.ports[connection.provider_port]) + " methods=" +
                std::to_string(connection.allowed_methods);
        if (connection.call)
            text += " call=" + std::to_string(connection.call->user) + "/" + std::to_string(connection.call->provider);
        for (const ChannelIds& event : connection.events)
            text += " event=" + std::to_string(event.user) + "/" + std::to_string(event.provider);
        for (const DataportPlacement& dataport : connection.dataports)
            text += " dataport=" + std::to_string(dataport.user_vaddr) + "/" + std::to_string(dataport.provider_vaddr);
        text += "\n";
    }
    return fnv1a(text);
}

std::string generation_symbol_prefix(const Interface& interface)
{
    return "tessera_generation_" + lower_case(interface.name) + "_";
}

std::string generation_symbol(const Interface& interface, uint64_t generation)
{
    char digits[17];
    std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(generation));
    return generation_symbol_prefix(interface) + digits;
}

} // namespace tessera::sdf
