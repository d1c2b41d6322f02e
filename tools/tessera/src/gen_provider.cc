// Shared provider-side generation.
#include "gen_provider.h"

#include "interfaces_names.h"

namespace tessera::sdf {

void write_serve_case(CodeWriter& out, const Interface& interface, const Method& method,
                      Language language, const std::function<void()>& call)
{
    const bool cpp = language == Language::Cpp;
    const std::string args_type = (cpp ? "" : "struct ") + interface_function(interface, method.name + "_args");
    const std::string buffer = method.buffer.empty() ? "" : ", buffer";
    out.open("case " + interface_macro(interface, "method_" + method.name) + ": {");
    if (arguments_are_static(method, interface))
        out.comment("Static: too large for the stack.");
    out.line(std::string(arguments_are_static(method, interface) ? "static " : "") + args_type + " args;");
    out.line("status = " + interface_function(interface, method.name + "_decode") + "(request, &args" + buffer + ");");
    out.line("if (status != 0)");
    out.line("    break;");
    // Out parameters start cleared, so an implementation that leaves one unset sends zeros,
    // never what an earlier call left there.
    for (const Parameter* p : all_parameters(method)) {
        if (p->direction != Direction::Out)
            continue;
        if (p->type.shape == Shape::Single)
            out.line("args." + p->name + " = " + (cpp ? "{}" : "(" + c_element_type(p->type, interface) + ")0") + ";");
        else
            out.line("tessera_iface_zero(&args." + p->name + ", sizeof args." + p->name + ");");
        if (p->type.shape == Shape::Sequence)
            out.line("args." + p->name + "_length = 0;");
    }
    call();
    out.line("if (status == 0)");
    out.line("    return " + interface_function(interface, method.name + "_encode") + "(request, &args" + buffer + ");");
    out.line("if (!" + interface_function(interface, "is_error") + "(status))");
    out.line("    status = TESSERA_IFACE_BAD_RESULT;");
    out.line("break;");
    out.close();
}

void write_serve_end(CodeWriter& out)
{
    out.line("default:");
    out.line("    break;");
    out.line("}");
    out.line("return tessera_iface_status_reply(request, status);");
    out.close();
    out.line("");
}

std::vector<DispatchCase> dispatch_cases(const System& system, const Interface& interface,
                                         const Port& provider)
{
    const InterfaceNames names(system, interface);
    const std::string stem = names.port_stem(provider);
    uint64_t all = 0;
    for (const Method& method : interface.methods)
        all |= uint64_t(1) << method.number;
    std::string buffer_dataport;
    for (const Method& method : interface.methods)
        if (!method.buffer.empty())
            buffer_dataport = method.buffer;

    std::vector<DispatchCase> cases;
    for (const Connection& connection : system.interfaces.connections) {
        if (!connection.resolved || &system.interfaces.ports[connection.provider_port] != &provider ||
            !connection.call)
            continue;
        const std::string user = names.port_stem(system.interfaces.ports[connection.user_port]);
        DispatchCase entry;
        entry.channel = names.macro(stem + "_from_" + user);
        if (connection.allowed_methods == all) {
            entry.allowed = names.macro("all_methods");
        } else {
            for (const Method& method : interface.methods)
                if (connection.allowed_methods >> method.number & 1)
                    entry.allowed += std::string(entry.allowed.empty() ? "(" : " | ") + "(1ull << " +
                                     names.macro("method_" + method.name) + ")";
            entry.allowed = entry.allowed.empty() ? "0ull" : entry.allowed + ")";
        }
        if (!buffer_dataport.empty())
            entry.buffer = names.macro(stem + "_from_" + user + "_" + buffer_dataport);
        cases.push_back(entry);
    }
    return cases;
}

} // namespace tessera::sdf
