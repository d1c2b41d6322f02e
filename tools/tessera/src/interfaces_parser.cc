// XML to interface model. As in parser.cc, each element is read on its own and every problem is
// reported; an element too broken to use is left out, so later checks still run.
#include "interfaces_parser.h"

#include <algorithm>
#include <map>

#include "interfaces_identifier.h"
#include "interfaces_types.h"
#include "number.h"

namespace tessera::sdf {
namespace {
// Names the generated stubs and decoders use for their own variables.
bool is_reserved_parameter(std::string_view name)
{
    static constexpr const char* Reserved[] = {"ch", "args", "request", "reply", "count", "at",
                                               "words", "word", "status", "result", "label",
                                               "buffer", "method", "allowed", "length", "i"};
    return std::find(std::begin(Reserved), std::end(Reserved), name) != std::end(Reserved) ||
           name.rfind("tessera", 0) == 0;
}

// Reports a second definition of the same name among an interface's members of one kind.
class NameSet {
public:
    NameSet(Diagnostics& diagnostics, std::string what) : diagnostics_(diagnostics), what_(std::move(what)) {}

    bool claim(const std::string& name, Location where)
    {
        auto [first, inserted] = names_.emplace(name, where);
        if (!inserted)
            diagnostics_.error(where, "duplicate " + what_ + " '" + name + "', first defined at " +
                                          diagnostics_.where(first->second));
        return inserted;
    }

private:
    Diagnostics& diagnostics_;
    std::string what_;
    std::map<std::string, Location> names_;
};

class InterfaceReader {
public:
    InterfaceReader(const ElementContext& context, Interface& interface)
        : context_(context), interface_(interface)
    {
    }

    void read(pugi::xml_node node);

private:
    void enumeration(Element& e);
    void structure(Element& e);
    void error_code(Element& e);
    void method(Element& e);
    void event(Element& e);
    void dataport(Element& e);
    std::optional<Parameter> parameter(Element& e, bool is_result);
    void check_method_sizes(const Method& method);

    Diagnostics& diagnostics() { return context_.diagnostics; }

    const ElementContext& context_;
    Interface& interface_;
    // Methods, events and dataports share the names of generated constants.
    NameSet members_{context_.diagnostics, "method, event or dataport name"};
};

void InterfaceReader::read(pugi::xml_node node)
{
    Element e = context_(node);
    e.allow({"name", "doc"});
    interface_.where = e.where();
    interface_.name = identifier(e).value_or("");
    interface_.doc = e.text("doc").value_or("");

    // Enums first, so every type can name any of them; structs name only earlier structs.
    each_child_element(node, [&](pugi::xml_node child) {
        if (std::string_view(child.name()) == "enum") {
            Element c = context_(child);
            enumeration(c);
        }
    });
    each_child_element(node, [&](pugi::xml_node child) {
        Element c = context_(child);
        const std::string_view name = child.name();
        if (name == "enum")
            return;
        if (name == "struct")
            structure(c);
        else if (name == "error")
            error_code(c);
        else if (name == "method")
            method(c);
        else if (name == "event")
            event(c);
        else if (name == "dataport")
            dataport(c);
        else
            c.error("unknown element <" + c.name() + "> in <interface>; expected one of " +
                    quoted_list({"method", "event", "dataport", "error", "enum", "struct"}));
    });
    // A method's buffer names a dataport, which may come after it.
    for (Method& method : interface_.methods) {
        if (!method.buffer.empty()) {
            const Dataport* dataport = interface_.find_dataport(method.buffer);
            if (dataport == nullptr) {
                diagnostics().error(method.buffer_where,
                                    "buffer '" + method.buffer + "' of method '" + method.name +
                                        "' is not a dataport of interface '" + interface_.name + "'");
                method.buffer.clear();
            } else if (dataport->type.shape != Shape::FixedArray ||
                       dataport->type.element != ElementKind::Uint8) {
                diagnostics().error(method.buffer_where,
                                    "buffer '" + method.buffer + "' of method '" + method.name +
                                        "' has type '" + dataport->type.spelling +
                                        "', expected a byte array (uint8[N])");
                method.buffer.clear();
            }
        }
        check_method_sizes(method);
    }
    // The dispatcher hands one buffer to every method: they must agree on it.
    const Method* first_buffered = nullptr;
    for (Method& method : interface_.methods) {
        if (method.buffer.empty())
            continue;
        if (first_buffered == nullptr)
            first_buffered = &method;
        else if (method.buffer != first_buffered->buffer)
            diagnostics().error(method.buffer_where,
                                "method '" + method.name + "' carries its payloads in dataport '" +
                                    method.buffer + "', but method '" + first_buffered->name +
                                    "' uses '" + first_buffered->buffer +
                                    "'; an interface has one buffer dataport");
    }
}

void InterfaceReader::enumeration(Element& e)
{
    e.allow({"name", "doc"});
    EnumType type;
    type.where = e.where();
    type.doc = e.text("doc").value_or("");
    auto name = identifier(e);
    NameSet names(diagnostics(), "value name in enum");
    std::map<uint64_t, Location> numbers;
    uint64_t next = 0;
    each_child_element(e.node(), [&](pugi::xml_node child) {
        Element c = context_(child);
        if (std::string_view(child.name()) != "value") {
            c.error("unknown element <" + c.name() + "> in <enum>; expected 'value'");
            return;
        }
        c.allow({"name", "value", "doc"});
        auto value_name = identifier(c);
        auto value = c.number("value");
        const uint64_t number = value.value_or(next);
        if (number > 0x7fffffff) {
            c.error(value ? "value" : "name", "enum value " + std::to_string(number) +
                                                  " is out of range, expected 0 to 2147483647");
            return;
        }
        next = number + 1;
        if (!value_name || !names.claim(*value_name, c.where()))
            return;
        if (auto [first, inserted] = numbers.emplace(number, c.where()); !inserted) {
            c.error("enum value " + std::to_string(number) + " is already given to another name at " +
                    diagnostics().where(first->second));
            return;
        }
        type.values.push_back(EnumValue{*value_name, number, c.text("doc").value_or(""), c.where()});
    });
    if (type.values.empty())
        e.error("enum has no <value>, expected at least one");
    if (!name)
        return;
    type.name = *name;
    interface_.enums.push_back(type);
}

void InterfaceReader::structure(Element& e)
{
    e.allow({"name", "doc"});
    StructType type;
    type.where = e.where();
    type.doc = e.text("doc").value_or("");
    auto name = identifier(e);
    NameSet names(diagnostics(), "field name in struct");
    bool valid = true;
    each_child_element(e.node(), [&](pugi::xml_node child) {
        Element c = context_(child);
        if (std::string_view(child.name()) != "field") {
            c.error("unknown element <" + c.name() + "> in <struct>; expected 'field'");
            return;
        }
        c.allow({"name", "type", "doc"});
        auto field_name = identifier(c);
        auto spelling = c.required_text("type");
        if (!field_name || !spelling || !names.claim(*field_name, c.where())) {
            valid = false;
            return;
        }
        std::string why;
        auto field_type = parse_type(*spelling, std::nullopt, interface_, interface_.structs.size(),
                                     TypeUse::Field, why);
        if (field_type && type_size(*field_type, interface_) > MaxTypeSize) {
            why = "field type '" + *spelling + "' is larger than " + hex(MaxTypeSize) + " bytes";
            field_type.reset();
        }
        if (!field_type) {
            c.error("type", why);
            valid = false;
            return;
        }
        type.fields.push_back(StructField{*field_name, *field_type, c.text("doc").value_or(""), c.where()});
    });
    if (type.fields.empty()) {
        e.error("struct has no <field>, expected at least one");
        valid = false;
    }
    if (!name || !valid)
        return;
    type.name = *name;
    const StructLayout layout = struct_layout(type, interface_);
    if (layout.size > MaxTypeSize) {
        e.error("struct '" + type.name + "' takes " + hex(layout.size) +
                " bytes, more than the limit " + hex(MaxTypeSize));
        return;
    }
    type.size = layout.size;
    type.alignment = layout.alignment;
    for (const StructType& other : interface_.structs)
        if (other.name == type.name) {
            e.error("duplicate struct name '" + type.name + "', first defined at " +
                    diagnostics().where(other.where));
            return;
        }
    for (const EnumType& other : interface_.enums)
        if (other.name == type.name) {
            e.error("struct '" + type.name + "' has the name of the enum at " +
                    diagnostics().where(other.where));
            return;
        }
    interface_.structs.push_back(type);
}

void InterfaceReader::error_code(Element& e)
{
    e.allow({"name", "code", "doc"});
    auto name = identifier(e);
    auto code = e.number("code");
    uint64_t number = code.value_or(interface_.errors.empty() ? FirstErrorCode
                                                              : interface_.errors.back().code + 1);
    if (number < FirstErrorCode || number > LastErrorCode) {
        e.error(code ? "code" : "name",
                "error code " + std::to_string(number) + " is out of range, expected " +
                    std::to_string(FirstErrorCode) + " to " + std::to_string(LastErrorCode) +
                    " (0 to 15 are the transport's)");
        return;
    }
    if (!name)
        return;
    for (const ErrorCode& other : interface_.errors) {
        if (other.name == *name) {
            e.error("duplicate error name '" + *name + "', first defined at " +
                    diagnostics().where(other.where));
            return;
        }
        if (other.code == number) {
            e.error("error code " + std::to_string(number) + " is already given to '" + other.name +
                    "' at " + diagnostics().where(other.where));
            return;
        }
    }
    interface_.errors.push_back(ErrorCode{*name, number, e.text("doc").value_or(""), e.where()});
}

std::optional<Parameter> InterfaceReader::parameter(Element& e, bool is_result)
{
    if (is_result)
        e.allow({"type", "doc"});
    else
        e.allow({"name", "type", "bound", "direction", "doc"});
    Parameter parameter;
    parameter.where = e.where();
    parameter.doc = e.text("doc").value_or("");
    std::optional<std::string> name = is_result ? std::optional<std::string>("result") : identifier(e);
    auto spelling = e.required_text("type");
    auto bound = e.number("bound");
    bool valid = name && spelling && (!e.has("bound") || bound);
    if (auto direction = e.text("direction")) {
        if (*direction == "out")
            parameter.direction = Direction::Out;
        else if (*direction == "inout")
            parameter.direction = Direction::InOut;
        else if (*direction != "in") {
            e.error("direction", "direction '" + *direction + "' is invalid, expected 'in', "
                                 "'out' or 'inout'");
            valid = false;
        }
    }
    if (is_result)
        parameter.direction = Direction::Out;
    if (!valid)
        return std::nullopt;
    std::string why;
    auto type = parse_type(*spelling, bound, interface_, interface_.structs.size(),
                           is_result ? TypeUse::Result : TypeUse::Parameter, why);
    if (!type) {
        e.error(bound && why.find("bound") != std::string::npos ? "bound" : "type", why);
        return std::nullopt;
    }
    parameter.name = *name;
    parameter.type = *type;
    return parameter;
}

void InterfaceReader::method(Element& e)
{
    e.allow({"name", "buffer", "doc"});
    Method method;
    method.where = e.where();
    method.doc = e.text("doc").value_or("");
    method.buffer = e.text("buffer").value_or("");
    method.buffer_where = e.where("buffer");
    auto name = identifier(e);
    NameSet names(diagnostics(), "parameter name");
    bool valid = true;
    each_child_element(e.node(), [&](pugi::xml_node child) {
        Element c = context_(child);
        const std::string_view kind = child.name();
        if (kind == "param") {
            auto parameter = this->parameter(c, false);
            if (!parameter || !names.claim(parameter->name, parameter->where)) {
                valid = false;
                return;
            }
            if (is_reserved_parameter(parameter->name)) {
                c.error("name", "parameter name '" + parameter->name +
                                    "' is taken by the generated code, expected another name");
                valid = false;
                return;
            }
            method.parameters.push_back(*parameter);
        } else if (kind == "return") {
            if (method.result) {
                c.error("second <return> in method, expected at most one");
                valid = false;
                return;
            }
            method.result = this->parameter(c, true);
            valid = valid && method.result.has_value();
        } else {
            c.error("unknown element <" + c.name() + "> in <method>; expected one of " +
                    quoted_list({"param", "return"}));
        }
    });
    // The generated code names a length or count after its array: NAME_length, NAME_count.
    for (const Parameter& parameter : method.parameters)
        for (const char* suffix : {"_length", "_count"})
            for (const Parameter& other : method.parameters)
                if (other.name == parameter.name + suffix) {
                    diagnostics().error(other.where, "parameter name '" + other.name +
                                                         "' is taken by the generated code for "
                                                         "parameter '" + parameter.name +
                                                         "', expected another name");
                    valid = false;
                }
    if (!name || !valid || !members_.claim(*name, method.where))
        return;
    method.name = *name;
    method.number = interface_.methods.size() + 1;
    if (method.number > MaxMethods) {
        e.error("interface '" + interface_.name + "' has more than " + std::to_string(MaxMethods) +
                " methods");
        return;
    }
    interface_.methods.push_back(method);
}

// The request and the reply must each fit seL4's message, and buffered payloads their dataport.
void InterfaceReader::check_method_sizes(const Method& method)
{
    const bool buffered = !method.buffer.empty();
    uint64_t words[2] = {0, 0}, bytes[2] = {0, 0}; // request, reply
    auto add = [&](const Parameter& p) {
        for (int side = 0; side < 2; ++side) {
            const bool carried = side == 0 ? p.direction != Direction::Out : p.direction != Direction::In;
            if (!carried)
                continue;
            words[side] += message_words(p.type, interface_, buffered);
            if (buffered)
                bytes[side] += (payload_bytes(p.type, interface_) + 7) / 8 * 8;
        }
    };
    for (const Parameter& p : method.parameters)
        add(p);
    if (method.result)
        add(*method.result);
    const char* names[2] = {"request", "reply"};
    for (int side = 0; side < 2; ++side) {
        if (words[side] > MessageWords)
            diagnostics().error(method.where,
                                "method '" + method.name + "' needs up to " +
                                    std::to_string(words[side]) + " message words for its " +
                                    names[side] + ", more than the " + std::to_string(MessageWords) +
                                    " of seL4's IPC buffer" +
                                    (buffered ? std::string("")
                                              : "; carry its arrays and strings in a dataport "
                                                "(buffer=\"DATAPORT\")"));
        if (buffered) {
            const Dataport* dataport = interface_.find_dataport(method.buffer);
            if (bytes[side] > type_size(dataport->type, interface_))
                diagnostics().error(method.buffer_where,
                                    "method '" + method.name + "' needs up to " +
                                        std::to_string(bytes[side]) + " bytes of buffer for its " +
                                        names[side] + ", more than the " +
                                        std::to_string(type_size(dataport->type, interface_)) +
                                        " of dataport '" + dataport->name + "'");
        }
    }
}

void InterfaceReader::event(Element& e)
{
    e.allow({"name", "doc"});
    auto name = identifier(e);
    if (name && members_.claim(*name, e.where()))
        interface_.events.push_back(Event{*name, e.text("doc").value_or(""), e.where()});
}

void InterfaceReader::dataport(Element& e)
{
    e.allow({"name", "type", "size", "doc"});
    Dataport dataport;
    dataport.where = e.where();
    dataport.doc = e.text("doc").value_or("");
    auto name = identifier(e);
    auto spelling = e.required_text("type");
    auto size = e.number("size");
    if (!name || !spelling || (e.has("size") && !size))
        return;
    std::string why;
    auto type = parse_type(*spelling, std::nullopt, interface_, interface_.structs.size(),
                           TypeUse::Dataport, why);
    if (type && type_size(*type, interface_) > MaxTypeSize) {
        why = "dataport type '" + *spelling + "' is larger than " + hex(MaxTypeSize) + " bytes";
        type.reset();
    }
    if (!type) {
        e.error("type", why);
        return;
    }
    if (!members_.claim(*name, e.where()))
        return;
    const uint64_t needed = (type_size(*type, interface_) + PageSize4K - 1) / PageSize4K * PageSize4K;
    dataport.size = size.value_or(needed);
    if (dataport.size % PageSize4K != 0 || dataport.size < needed || dataport.size > MaxTypeSize) {
        e.error("size", "size " + hex(dataport.size) + " is invalid, expected a multiple of 0x1000 "
                        "from " + hex(needed) + " (the type's size, in pages) to " + hex(MaxTypeSize));
        return;
    }
    dataport.name = *name;
    dataport.type = *type;
    interface_.dataports.push_back(dataport);
}

} // namespace

void read_interface_element(pugi::xml_node node, const ElementContext& context,
                            InterfaceSet& interfaces)
{
    if (std::string_view(node.name()) == "connection") {
        read_connection_element(node, context, interfaces);
        return;
    }
    Interface interface;
    InterfaceReader(context, interface).read(node);
    if (interface.name.empty())
        return;
    if (const Interface* other = interfaces.find(interface.name)) {
        context.diagnostics.error(interface.where, "duplicate interface name '" + interface.name +
                                                       "', first defined at " +
                                                       context.diagnostics.where(other->where));
        return;
    }
    interfaces.interfaces.push_back(std::move(interface));
}

} // namespace tessera::sdf
