// One XML element of a description being read: its attributes, their source locations and the
// shared error list. Used by the parser and by the readers of Tessera's extension elements.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "diagnostics.h"
#include "model.h"
#include "number.h"

namespace tessera::sdf {

// "'a', 'b', 'c'": the names an error message offers as expected.
inline std::string quoted_list(std::initializer_list<const char*> names)
{
    std::string out;
    for (const char* name : names) {
        if (!out.empty())
            out += ", ";
        out += "'";
        out += name;
        out += "'";
    }
    return out;
}

// One element being read: its attributes, their locations, and the shared error list.
class Element {
public:
    Element(pugi::xml_node node, const SourceMap& source, std::string_view text,
            Diagnostics& diagnostics)
        : node_(node), source_(source), diagnostics_(diagnostics)
    {
        // offset_debug points at the element name; its '<' is where the element starts.
        size_t offset = static_cast<size_t>(node.offset_debug());
        while (offset > 0 && text[offset] != '<')
            --offset;
        offset_ = offset;
        where_ = source.at(offset);
    }

    Location where() const { return where_; }
    size_t offset() const { return offset_; }   // of the '<' that starts the element
    Location where(const char* attribute) const { return source_.attribute(offset_, attribute); }
    std::string name() const { return node_.name(); }
    pugi::xml_node node() const { return node_; }

    void error(std::string message) { diagnostics_.error(where_, std::move(message)); }
    void error(const char* attribute, std::string message)
    {
        diagnostics_.error(where(attribute), std::move(message));
    }

    // Reports every attribute not in allowed.
    void allow(std::initializer_list<const char*> allowed)
    {
        for (pugi::xml_attribute attribute : node_.attributes()) {
            bool known = false;
            for (const char* name : allowed)
                known = known || std::string_view(attribute.name()) == name;
            if (!known)
                error(attribute.name(), "unknown attribute '" + std::string(attribute.name()) +
                                            "' on <" + name() + ">; expected one of " +
                                            quoted_list(allowed));
        }
    }

    bool has(const char* attribute) const { return node_.attribute(attribute) != nullptr; }

    std::optional<std::string> text(const char* attribute) const
    {
        pugi::xml_attribute value = node_.attribute(attribute);
        if (!value)
            return std::nullopt;
        return std::string(value.value());
    }

    std::optional<std::string> required_text(const char* attribute)
    {
        auto value = text(attribute);
        if (!value)
            error("missing attribute '" + std::string(attribute) + "' on <" + name() + ">");
        return value;
    }

    // nullopt when absent (no error) or malformed (reported).
    std::optional<uint64_t> number(const char* attribute)
    {
        auto value = text(attribute);
        if (!value)
            return std::nullopt;
        auto parsed = parse_integer(*value);
        if (!parsed)
            error(attribute, "attribute '" + std::string(attribute) + "' is '" + *value +
                                 "', expected an integer (decimal or 0x hexadecimal)");
        return parsed;
    }

    std::optional<uint64_t> required_number(const char* attribute)
    {
        if (!has(attribute)) {
            error("missing attribute '" + std::string(attribute) + "' on <" + name() + ">");
            return std::nullopt;
        }
        return number(attribute);
    }

    uint64_t number_or(const char* attribute, uint64_t fallback)
    {
        return number(attribute).value_or(fallback);
    }

    bool boolean_or(const char* attribute, bool fallback)
    {
        auto value = text(attribute);
        if (!value)
            return fallback;
        auto parsed = parse_boolean(*value);
        if (!parsed) {
            error(attribute, "attribute '" + std::string(attribute) + "' is '" + *value +
                                 "', expected 'true' or 'false'");
            return fallback;
        }
        return *parsed;
    }

    // An id for a channel end, irq or child: 0 to MaxChannelId.
    std::optional<uint64_t> required_id(const char* attribute = "id")
    {
        auto id = required_number(attribute);
        if (id && *id > MaxChannelId) {
            error(attribute, "id " + std::to_string(*id) + " is out of range, expected 0 to " +
                                 std::to_string(MaxChannelId));
            return std::nullopt;
        }
        return id;
    }

private:
    pugi::xml_node node_;
    const SourceMap& source_;
    Diagnostics& diagnostics_;
    size_t offset_ = 0;
    Location where_;
};

// Calls visit(child) for each child element of node; text and comments are ignored.
template <class Visit> void each_child_element(pugi::xml_node node, Visit visit)
{
    for (pugi::xml_node child : node.children())
        if (child.type() == pugi::node_element)
            visit(child);
}

// What every element reader needs to make an Element of a node.
struct ElementContext {
    const SourceMap& source;
    std::string_view text;
    Diagnostics& diagnostics;

    Element operator()(pugi::xml_node node) const { return Element(node, source, text, diagnostics); }
};

} // namespace tessera::sdf
