// Generated marshalling: one parameter at a time into or out of the message registers (and the
// buffer dataport), in declaration order. Single values take a word each; arrays, sequences and
// strings are packed bytes after a length word (sequences, strings), or sit in the buffer at a
// fixed offset when the method has one. A leg without sequences or strings in its message has
// a fixed layout: constant word indices and one check of the word count.
#include <algorithm>

#include "gen_c.h"
#include "interfaces_names.h"
#include "interfaces_types.h"

namespace tessera::sdf {
namespace {

std::string number(uint64_t value) { return std::to_string(value); }

bool is_signed(ElementKind kind)
{
    return kind == ElementKind::Int8 || kind == ElementKind::Int16 || kind == ElementKind::Int32 ||
           kind == ElementKind::Int64;
}

unsigned bits_of(ElementKind kind)
{
    switch (kind) {
    case ElementKind::Int8:
    case ElementKind::Uint8:
        return 8;
    case ElementKind::Int16:
    case ElementKind::Uint16:
        return 16;
    case ElementKind::Int32:
    case ElementKind::Uint32:
        return 32;
    default:
        return 64;
    }
}

// Where the next word goes: a constant index (fixed layouts) or the variable `at`.
class Cursor {
public:
    explicit Cursor(bool fixed) : fixed_(fixed) {}
    bool fixed() const { return fixed_; }
    std::string index() const { return fixed_ ? number(index_) : "at"; }
    // Where a value goes, for comments: "word 3", or "the next word".
    std::string where() const { return fixed_ ? "word " + number(index_) : "the next word"; }
    // The index `offset` words on, as an expression.
    std::string index(uint64_t offset) const { return fixed_ ? number(index_ + offset) : "at + " + number(offset); }
    void advance(CodeWriter& out, uint64_t words)
    {
        if (fixed_)
            index_ += words;
        else if (words != 0)
            out.line("at += " + number(words) + ";");
    }
    void advance(CodeWriter& out, const std::string& words)
    {
        out.line("at += " + words + ";");
    }
    uint64_t total() const { return index_; }

private:
    bool fixed_;
    uint64_t index_ = 0;
};

class Marshal {
public:
    Marshal(CodeWriter& out, const MarshalContext& context) : out_(out), c_(context) {}

    std::string encode();
    void decode();

private:
    bool buffered() const { return !c_.method.buffer.empty(); }
    std::vector<const Parameter*> leg_parameters() const;
    bool fixed_layout() const;

    std::string value(const Parameter& p) const;
    std::string array(const Parameter& p) const { return c_.holder == Holder::Arguments ? "args->" + p.name : p.name; }
    std::string length(const Parameter& p) const;
    std::string enum_check(const Type& type, const std::string& word) const;
    std::string word_check(const Type& type, const std::string& word) const;
    std::string from_word(const Type& type, const std::string& word) const;
    std::string to_word(const Type& type, const std::string& value) const;
    std::string element_bytes(const Type& type) const { return number(element_size(type, c_.interface)); }

    void encode_one(const Parameter& p, Cursor& cursor, uint64_t& buffer_offset);
    void decode_one(const Parameter& p, Cursor& cursor, uint64_t& buffer_offset);
    void check_elements_sent(const Type& type, const std::string& elements, const std::string& count);
    void check_elements_received(const Type& type, const std::string& elements, const std::string& count);

    CodeWriter& out_;
    const MarshalContext& c_;
};

std::vector<const Parameter*> Marshal::leg_parameters() const
{
    std::vector<const Parameter*> out;
    for (const Parameter* p : all_parameters(c_.method))
        if (travels(*p, c_.leg))
            out.push_back(p);
    return out;
}

bool Marshal::fixed_layout() const
{
    const auto parameters = leg_parameters();
    return buffered() || std::none_of(parameters.begin(), parameters.end(), [](const Parameter* p) {
               return p->type.shape == Shape::Sequence || p->type.shape == Shape::String;
           });
}

std::string Marshal::value(const Parameter& p) const
{
    if (c_.holder == Holder::Arguments)
        return "args->" + p.name;
    const bool by_value = c_.leg == Leg::Request && p.direction == Direction::In;
    return by_value ? p.name : "*" + p.name;
}

std::string Marshal::length(const Parameter& p) const
{
    if (c_.holder == Holder::Arguments)
        return "args->" + p.name + "_length";
    const bool by_value = c_.leg == Leg::Request && p.direction == Direction::In;
    return (by_value ? "" : "*") + p.name + "_length";
}

std::string Marshal::enum_check(const Type& type, const std::string& word) const
{
    return interface_function(c_.interface, c_.interface.enums[type.index].name + "_is_valid") + "(" +
           word + ")";
}

// The condition under which a received word holds a value of the element type; empty: always.
std::string Marshal::word_check(const Type& type, const std::string& word) const
{
    switch (type.element) {
    case ElementKind::Bool:
        return word + " <= 1";
    case ElementKind::Enum:
        return enum_check(type, word);
    case ElementKind::Int64:
    case ElementKind::Uint64:
        return "";
    default:
        return std::string(is_signed(type.element) ? "tessera_iface_fits_signed(" : "tessera_iface_fits_unsigned(") +
               word + ", " + number(bits_of(type.element)) + ")";
    }
}

std::string Marshal::from_word(const Type& type, const std::string& word) const
{
    if (type.element == ElementKind::Bool)
        return word + " != 0";
    if (is_signed(type.element) && type.element != ElementKind::Int64)
        return "(" + c_element_type(type, c_.interface) + ")(int64_t)" + word;
    return "(" + c_element_type(type, c_.interface) + ")" + word;
}

std::string Marshal::to_word(const Type& type, const std::string& value) const
{
    return is_signed(type.element) ? "(seL4_Word)(int64_t)" + value : "(seL4_Word)" + value;
}

// Enums held by the sender may be any int in C: each is checked before it is sent.
void Marshal::check_elements_sent(const Type& type, const std::string& elements, const std::string& count)
{
    if (type.element != ElementKind::Enum)
        return;
    out_.open("for (seL4_Word i = 0; i < " + count + "; ++i) {");
    out_.line("if (!" + enum_check(type, "(seL4_Word)" + elements + "[i]") + ")");
    out_.line("    " + c_.fail);
    out_.close();
}

// Received bools and enums are checked as bytes before anything reads them as their type.
void Marshal::check_elements_received(const Type& type, const std::string& elements, const std::string& count)
{
    if (type.element == ElementKind::Bool) {
        out_.line("if (!tessera_iface_bools_valid(" + elements + ", " + count + "))");
        out_.line("    " + c_.fail);
    } else if (type.element == ElementKind::Enum) {
        out_.open("for (seL4_Word i = 0; i < " + count + "; ++i) {");
        out_.line("if (!" + enum_check(type, "tessera_iface_element32(" + elements + ", i)") + ")");
        out_.line("    " + c_.fail);
        out_.close();
    }
}

std::string Marshal::encode()
{
    Cursor cursor(fixed_layout());
    if (!cursor.fixed())
        out_.line("seL4_Word at = 0;");
    uint64_t buffer_offset = 0;
    for (const Parameter* p : leg_parameters())
        encode_one(*p, cursor, buffer_offset);
    return cursor.fixed() ? number(cursor.total()) : "at";
}

void Marshal::encode_one(const Parameter& p, Cursor& cursor, uint64_t& buffer_offset)
{
    const Type& type = p.type;
    const std::string kind = canonical_spelling(type, c_.interface);
    if (type.shape == Shape::Single) {
        out_.comment(p.name + " (" + kind + "): " + cursor.where());
        if (type.element == ElementKind::Enum) {
            out_.line("if (!" + enum_check(type, "(seL4_Word)" + value(p)) + ")");
            out_.line("    " + c_.fail);
        }
        out_.line("microkit_mr_set(" + (cursor.fixed() ? cursor.index() : "(seL4_Uint8)at") + ", " +
                  to_word(type, value(p)) + ");");
        cursor.advance(out_, 1);
        return;
    }
    const std::string size = element_bytes(type);
    std::string count = number(type.count), bytes;
    if (type.shape == Shape::FixedArray) {
        bytes = number(payload_bytes(type, c_.interface));
        check_elements_sent(type, array(p), count);
    } else {
        // A sequence's length is the caller's; a string's is found, reading at most bound + 1.
        count = p.name + "_count";
        if (type.shape == Shape::Sequence)
            out_.line("const seL4_Word " + count + " = " + length(p) + ";");
        else
            out_.line("const seL4_Word " + count + " = tessera_iface_string_length(" + array(p) + ", " +
                      number(type.count) + ");");
        out_.line("if (" + count + " > " + number(type.count) + ")");
        out_.line("    " + c_.fail);
        check_elements_sent(type, array(p), count);
        out_.comment(p.name + " (" + kind + "): its length in " + cursor.where() +
                     (buffered() ? ", its bytes in the buffer at " + number(buffer_offset)
                                 : ", then its bytes"));
        out_.line("microkit_mr_set(" + (cursor.fixed() ? cursor.index() : "(seL4_Uint8)at") + ", " + count + ");");
        cursor.advance(out_, 1);
        bytes = size == "1" ? count : count + " * " + size;
    }
    if (buffered()) {
        if (type.shape == Shape::FixedArray)
            out_.comment(p.name + " (" + kind + "): in the buffer at " + number(buffer_offset));
        out_.line("tessera_iface_copy(" + c_.buffer + " + " + number(buffer_offset) + ", " + array(p) +
                  ", " + bytes + ");");
        buffer_offset += (payload_bytes(type, c_.interface) + 7) / 8 * 8;
        return;
    }
    if (type.shape == Shape::FixedArray)
        out_.comment(p.name + " (" + kind + "): packed bytes from " + cursor.where());
    out_.line("tessera_iface_copy(tessera_iface_message() + " + cursor.index() + ", " + array(p) + ", " +
              bytes + ");");
    out_.line("tessera_iface_pad(tessera_iface_message() + " + cursor.index() + ", " + bytes + ");");
    if (type.shape == Shape::FixedArray)
        cursor.advance(out_, (payload_bytes(type, c_.interface) + 7) / 8);
    else
        cursor.advance(out_, "tessera_iface_words(" + bytes + ")");
}

void Marshal::decode()
{
    Cursor cursor(fixed_layout());
    uint64_t fixed_words = 0;
    if (cursor.fixed()) {
        for (const Parameter* p : leg_parameters())
            fixed_words += message_words(p->type, c_.interface, buffered());
        out_.line("if (count != " + number(fixed_words) + ")");
        out_.line("    " + c_.fail);
    } else {
        out_.line("seL4_Word at = 0;");
    }
    uint64_t buffer_offset = 0;
    for (const Parameter* p : leg_parameters())
        decode_one(*p, cursor, buffer_offset);
    if (!cursor.fixed()) {
        out_.line("if (at != count)");
        out_.line("    " + c_.fail);
    }
}

void Marshal::decode_one(const Parameter& p, Cursor& cursor, uint64_t& buffer_offset)
{
    const Type& type = p.type;
    const std::string kind = canonical_spelling(type, c_.interface);
    const std::string word = "microkit_mr_get(" + (cursor.fixed() ? cursor.index() : "(seL4_Uint8)at") + ")";
    if (!cursor.fixed()) {
        // Every word is counted before it is read, so `at` never passes `count`.
        if (type.shape == Shape::FixedArray)
            out_.line("if (count - at < " + number(message_words(type, c_.interface, false)) + ")");
        else
            out_.line("if (at >= count)");
        out_.line("    " + c_.fail);
    }
    if (type.shape == Shape::Single) {
        out_.comment(p.name + " (" + kind + "): " + cursor.where());
        const std::string check = word_check(type, word);
        if (!check.empty()) {
            out_.line("if (!(" + check + "))");
            out_.line("    " + c_.fail);
        }
        out_.line(value(p) + " = " + from_word(type, word) + ";");
        cursor.advance(out_, 1);
        return;
    }
    const std::string size = element_bytes(type);
    std::string count = number(type.count), bytes;
    if (type.shape == Shape::FixedArray) {
        bytes = number(payload_bytes(type, c_.interface));
        if (buffered())
            out_.comment(p.name + " (" + kind + "): in the buffer at " + number(buffer_offset));
        else
            out_.comment(p.name + " (" + kind + "): packed bytes from " + cursor.where());
    } else {
        count = p.name + "_count";
        out_.comment(p.name + " (" + kind + "): its length in " + cursor.where() +
                     (buffered() ? ", its bytes in the buffer at " + number(buffer_offset)
                                 : ", then its bytes"));
        out_.line("const seL4_Word " + count + " = " + word + ";");
        out_.line("if (" + count + " > " + number(type.count) + ")");
        out_.line("    " + c_.fail);
        cursor.advance(out_, 1);
        bytes = size == "1" ? count : count + " * " + size;
        if (!buffered()) {
            out_.line("if (count - at < tessera_iface_words(" + bytes + "))");
            out_.line("    " + c_.fail);
        }
    }
    // The bytes are copied out once, and checked where they landed: a buffer the other side can
    // still write is never read twice.
    if (buffered()) {
        out_.line("tessera_iface_copy(" + array(p) + ", " + c_.buffer + " + " + number(buffer_offset) + ", " +
                  bytes + ");");
        buffer_offset += (payload_bytes(type, c_.interface) + 7) / 8 * 8;
    } else {
        out_.line("tessera_iface_copy(" + array(p) + ", tessera_iface_message() + " + cursor.index() + ", " +
                  bytes + ");");
        if (type.shape == Shape::FixedArray)
            cursor.advance(out_, (payload_bytes(type, c_.interface) + 7) / 8);
        else
            cursor.advance(out_, "tessera_iface_words(" + bytes + ")");
    }
    check_elements_received(type, array(p), count);
    if (type.shape == Shape::String) {
        out_.line("if (!tessera_iface_no_nul(" + array(p) + ", " + count + "))");
        out_.line("    " + c_.fail);
        out_.line(array(p) + "[" + count + "] = 0;");
    } else if (type.shape == Shape::Sequence) {
        out_.line(length(p) + " = " + count + ";");
    }
}

} // namespace

bool travels(const Parameter& parameter, Leg leg)
{
    return leg == Leg::Request ? parameter.direction != Direction::Out : parameter.direction != Direction::In;
}

std::vector<std::string> parameter_declarations(const Method& method, const Interface& interface,
                                                Language language)
{
    const bool cpp = language == Language::Cpp;
    const std::string pointer = cpp ? "* " : " *";
    std::vector<std::string> out{"microkit_channel ch"};
    if (!method.buffer.empty())
        out.push_back("uint8_t" + pointer + "buffer");
    for (const Parameter* p : all_parameters(method)) {
        const Type& t = p->type;
        const bool in = p->direction == Direction::In;
        const std::string element = cpp && t.element == ElementKind::Enum
                                        ? pascal_case(interface.enums[t.index].name)
                                        : c_element_type(t, interface);
        const std::string bound = interface_macro(interface, method.name + "_" + p->name + "_bound");
        // An array out parameter: T name[N] in C, T (&name)[N] in C++.
        auto array = [&](const std::string& type, const std::string& extent) {
            return type + (cpp ? " (&" + p->name + ")" : " " + p->name) + "[" + extent + "]";
        };
        switch (t.shape) {
        case Shape::Single:
            out.push_back(element + (in ? " " : cpp ? "& " : " *") + p->name);
            break;
        case Shape::FixedArray:
            out.push_back(array((in ? "const " : "") + element, number(t.count)));
            break;
        case Shape::Sequence:
            if (in) {
                out.push_back("const " + element + pointer + p->name);
                out.push_back("size_t " + p->name + "_length");
            } else {
                out.push_back(array(element, bound));
                out.push_back("size_t" + (cpp ? std::string("& ") : std::string(" *")) + p->name + "_length");
            }
            break;
        case Shape::String:
            out.push_back(in ? "const char" + pointer + p->name : array("char", bound + " + 1"));
            break;
        }
    }
    return out;
}

bool declares_variables(const Method& method, Leg leg)
{
    for (const Parameter* p : all_parameters(method))
        if (travels(*p, leg) && (p->type.shape == Shape::Sequence || p->type.shape == Shape::String))
            return true;
    return false;
}

bool arguments_are_static(const Method& method, const Interface& interface)
{
    // Stacks are 8 KiB by default; a protection domain serves one call at a time, so static
    // storage is safe.
    constexpr uint64_t StackLimit = 512;
    uint64_t bytes = 0;
    for (const Parameter* p : all_parameters(method))
        bytes += 8 + (p->type.shape == Shape::Single ? 0 : payload_bytes(p->type, interface) + 1);
    return bytes > StackLimit;
}

std::vector<const Parameter*> all_parameters(const Method& method)
{
    std::vector<const Parameter*> out;
    for (const Parameter& p : method.parameters)
        out.push_back(&p);
    if (method.result)
        out.push_back(&*method.result);
    return out;
}

std::string c_element_type(const Type& type, const Interface& interface)
{
    switch (type.element) {
    case ElementKind::Int8: return "int8_t";
    case ElementKind::Int16: return "int16_t";
    case ElementKind::Int32: return "int32_t";
    case ElementKind::Int64: return "int64_t";
    case ElementKind::Uint8: return type.shape == Shape::String ? "char" : "uint8_t";
    case ElementKind::Uint16: return "uint16_t";
    case ElementKind::Uint32: return "uint32_t";
    case ElementKind::Uint64: return "uint64_t";
    case ElementKind::Bool: return "bool";
    case ElementKind::Enum: return "enum " + interface_function(interface, interface.enums[type.index].name);
    case ElementKind::Struct: return "struct " + interface_function(interface, interface.structs[type.index].name);
    }
    return "void";
}

std::string write_encode(CodeWriter& out, const MarshalContext& context)
{
    return Marshal(out, context).encode();
}

void write_decode(CodeWriter& out, const MarshalContext& context)
{
    Marshal(out, context).decode();
}

} // namespace tessera::sdf
