// Tessera's typed component interfaces in the model: interfaces (methods, errors, events,
// dataports and the types they use), the <provides>/<uses> ports of protection domains and the
// connections between them, with what lowering made of each connection (docs/interfaces.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace tessera::sdf {

// seL4's x86_64 message: at most 120 words (seL4_MsgMaxLength), the first four in registers.
inline constexpr uint64_t MessageWords = 120;
inline constexpr uint64_t RegisterWords = 4;
// Method numbers are 1 to 63, so a use's permitted methods fit one 64-bit mask.
inline constexpr uint64_t MaxMethods = 63;
// Status codes 1 to 15 are the transport's own; an interface's errors take 16 to 255.
inline constexpr uint64_t FirstErrorCode = 16;
inline constexpr uint64_t LastErrorCode = 255;
// Bounds of strings, sequences and arrays: large enough for a dataport, small enough that sizes
// never overflow.
inline constexpr uint64_t MaxBound = uint64_t(1) << 24;
// Where lowering places dataports in a protection domain's address space when nothing is
// mapped there: 64 GiB, far above programs linked at the usual low addresses.
inline constexpr uint64_t DataportBase = uint64_t(1) << 36;

// What one element of a type is. Structs appear only in struct fields and dataports.
enum class ElementKind : uint8_t {
    Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, Bool, Enum, Struct,
};

enum class Shape : uint8_t {
    Single,     // one element
    FixedArray, // T[N]: exactly N elements
    Sequence,   // T[] with a bound B: 0 to B elements and their count
    String,     // string with a bound B: 0 to B bytes, no NUL among them
};

struct Type {
    Shape shape = Shape::Single;
    ElementKind element = ElementKind::Uint64; // String: Uint8 (its bytes)
    size_t index = 0;       // the interface's enum (element Enum) or struct (element Struct)
    uint64_t count = 0;     // FixedArray: N; Sequence and String: the bound
    std::string spelling;   // as written, for messages
};

struct EnumValue {
    std::string name;
    uint64_t value = 0;
    std::string doc;
    Location where;
};

struct EnumType {
    std::string name;
    std::vector<EnumValue> values;
    std::string doc;
    Location where;
};

struct StructField {
    std::string name;
    Type type;
    std::string doc;
    Location where;
};

struct StructType {
    std::string name;
    std::vector<StructField> fields;
    uint64_t size = 0, alignment = 1; // as C lays it out (interfaces_types.h struct_layout)
    std::string doc;
    Location where;
};

// No struct or dataport may be larger: sizes stay far from overflow.
inline constexpr uint64_t MaxTypeSize = uint64_t(1) << 30;

enum class Direction : uint8_t { In, Out, InOut };

struct Parameter {
    std::string name;
    Direction direction = Direction::In;
    Type type;
    std::string doc;
    Location where;
};

struct Method {
    std::string name;
    uint64_t number = 0; // 1-based, in declaration order: the label's low bits
    std::vector<Parameter> parameters;
    std::optional<Parameter> result; // <return>: an out parameter named "result", written last
    std::string buffer;              // the dataport carrying large payloads, or empty
    std::string doc;
    Location where;
    Location buffer_where;
};

struct ErrorCode {
    std::string name;
    uint64_t code = 0;
    std::string doc;
    Location where;
};

struct Event {
    std::string name;
    std::string doc;
    Location where;
};

struct Dataport {
    std::string name;
    Type type;
    uint64_t size = 0; // bytes of the region: the type's size rounded up to pages, or given
    std::string doc;
    Location where;
};

struct Interface {
    std::string name;
    std::vector<EnumType> enums;
    std::vector<StructType> structs;
    std::vector<ErrorCode> errors;
    std::vector<Method> methods;
    std::vector<Event> events;
    std::vector<Dataport> dataports;
    std::string doc;
    Location where;

    const Method* find_method(const std::string& name) const;
    const Dataport* find_dataport(const std::string& name) const;
};

enum class Role : uint8_t { Uses, Provides };

// A protection domain's <uses> or <provides>.
struct Port {
    size_t pd = 0; // index in System::protection_domains
    Role role = Role::Uses;
    std::string interface;
    std::string name;                        // defaults to the interface's name
    std::optional<std::vector<std::string>> calls; // uses: the methods it may call (all if unset)
    Location where;
    Location calls_where;
};

struct ConnectionEnd {
    std::string pd;
    std::string port;
    Role role = Role::Uses;
    std::optional<uint64_t> id; // pins the connection's first channel at this end
    Location where;
};

// Where one connection's dataport lives: a memory region mapped into both ends.
struct DataportPlacement {
    std::string region;
    uint64_t user_vaddr = 0, provider_vaddr = 0;
};

// A channel of a connection as each end numbers it.
struct ChannelIds {
    uint64_t user = 0, provider = 0;
};

struct Connection {
    ConnectionEnd user, provider;
    Location where;

    // Filled in by lowering when the connection is sound.
    bool resolved = false;
    size_t interface = 0;                  // index in InterfaceSet::interfaces
    size_t user_port = 0, provider_port = 0; // indices in InterfaceSet::ports
    std::optional<ChannelIds> call;         // the channel of calls, when the interface has methods
    std::vector<ChannelIds> events;         // one channel per event, in declaration order
    std::vector<DataportPlacement> dataports; // one per dataport, in declaration order
    uint64_t allowed_methods = 0;           // bit m: method m may be called over this connection
};

struct InterfaceSet {
    std::vector<Interface> interfaces;
    std::vector<Port> ports;
    std::vector<Connection> connections;

    bool empty() const { return interfaces.empty() && ports.empty() && connections.empty(); }
    const Interface* find(const std::string& name) const;
};

} // namespace tessera::sdf
