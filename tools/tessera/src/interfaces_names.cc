// Spelling of generated identifiers, and the list of all of them for the collision check.
#include "interfaces_names.h"

#include <cctype>

#include "interfaces_types.h"

namespace tessera::sdf {

std::string upper_case(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower_case(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string identifier_part(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return out;
}

std::string pascal_case(std::string_view text)
{
    std::string out;
    bool start = true;
    for (char c : text) {
        if (c == '_') {
            start = true;
            continue;
        }
        out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        start = false;
    }
    return out;
}

std::string interface_macro(const Interface& interface, std::string_view part)
{
    return upper_case(interface.name) + "_" + upper_case(part);
}

std::string interface_function(const Interface& interface, std::string_view part)
{
    return lower_case(interface.name) + "_" + lower_case(part);
}

std::string InterfaceNames::port_stem(const Port& port) const
{
    std::string stem = identifier_part(system_.protection_domains[port.pd].name);
    if (port.name != port.interface)
        stem += "_" + port.name;
    return stem;
}

std::vector<GeneratedName> generated_names(const System& system, size_t index)
{
    const Interface& interface = system.interfaces.interfaces[index];
    const InterfaceNames names(system, interface);
    std::vector<GeneratedName> out;
    auto c = [&](std::string identifier, Location where) {
        out.push_back(GeneratedName{std::move(identifier), "C", where});
    };
    auto cpp = [&](std::string identifier, Location where) {
        out.push_back(GeneratedName{std::move(identifier), "C++", where});
    };

    const Location at = interface.where;
    c(names.macro("fingerprint"), at);
    c(names.macro("generation"), at);
    c(names.macro("all_methods"), at);
    c(names.function("status_name"), at);
    c(names.function("serve"), at);
    c(names.function("request_method"), at);
    cpp("Status", at);
    cpp("status_name", at);
    cpp("serve", at);
    for (const char* transport : {"ok", "bad_channel", "wrong_interface", "bad_method",
                                  "bad_message", "bad_argument", "bad_reply", "bad_result"})
        cpp("Status::" + std::string(transport), at);

    for (const ErrorCode& error : interface.errors) {
        c(names.macro("error_" + error.name), error.where);
        cpp("Status::" + error.name, error.where);
    }
    for (const EnumType& type : interface.enums) {
        c("tag " + names.function(type.name), type.where);
        c(names.function(type.name + "_is_valid"), type.where);
        cpp(pascal_case(type.name), type.where);
        for (const EnumValue& value : type.values)
            c(names.macro(type.name + "_" + value.name), value.where);
    }
    for (const StructType& type : interface.structs) {
        c("tag " + names.function(type.name), type.where);
        cpp(pascal_case(type.name), type.where);
    }
    for (const Method& method : interface.methods) {
        c(names.macro("method_" + method.name), method.where);
        c(names.macro("label_" + method.name), method.where);
        c("tag " + names.function(method.name + "_args"), method.where);
        for (const char* suffix : {"", "_decode", "_encode"})
            c(names.function(method.name + suffix), method.where);
        c(names.function("serve_" + method.name), method.where);
        cpp(method.name, method.where);
        for (const Parameter& parameter : method.parameters)
            if (parameter.type.shape == Shape::Sequence || parameter.type.shape == Shape::String)
                c(names.macro(method.name + "_" + parameter.name + "_bound"), parameter.where);
    }
    for (const Event& event : interface.events) {
        c(names.function("emit_" + event.name), event.where);
        cpp("emit_" + event.name, event.where);
    }
    for (const Dataport& dataport : interface.dataports) {
        c(names.macro(dataport.name + "_size"), dataport.where);
        if (dataport.type.shape == Shape::FixedArray)
            c(names.macro(dataport.name + "_count"), dataport.where);
    }

    for (const Port& port : system.interfaces.ports) {
        if (port.interface != interface.name)
            continue;
        const std::string stem = names.port_stem(port);
        if (port.role == Role::Provides) {
            c(names.function(stem + "_dispatch"), port.where);
            cpp(stem + "_dispatch", port.where);
            if (!interface.methods.empty())
                c(names.macro(stem + "_channels"), port.where);
            for (const Event& event : interface.events) {
                c(names.function(stem + "_broadcast_" + event.name), port.where);
                cpp(stem + "_broadcast_" + event.name, port.where);
            }
        }
    }
    for (const Connection& connection : system.interfaces.connections) {
        if (!connection.resolved || connection.interface != index)
            continue;
        const std::string user = names.port_stem(system.interfaces.ports[connection.user_port]);
        const std::string provider = names.port_stem(system.interfaces.ports[connection.provider_port]);
        const Location where = connection.where;
        if (connection.call) {
            c(names.macro(user), where);
            c(names.macro(provider + "_from_" + user), where);
        }
        for (const Event& event : interface.events) {
            c(names.macro(user + "_" + event.name), where);
            c(names.macro(provider + "_to_" + user + "_" + event.name), where);
        }
        for (const Dataport& dataport : interface.dataports) {
            c(names.macro(user + "_" + dataport.name), where);
            c(names.macro(provider + "_from_" + user + "_" + dataport.name), where);
        }
    }
    return out;
}

} // namespace tessera::sdf
