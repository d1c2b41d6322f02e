// The server's socket name table.
#include "core/socket/name_table.h"

namespace tessera::posix::net {

const NameTable::Entry* NameTable::conflict(const Name& key, Type type) const
{
    for (const Entry& e : entries_) {
        if (e.socket == nullptr || e.key.family != key.family)
            continue;
        if (key.family == Family::Unix) {
            if (e.key == key)
                return &e;
            continue;
        }
        if (e.type == type && e.key.port == key.port &&
            (e.key.address == 0 || key.address == 0 || e.key.address == key.address))
            return &e;
    }
    return nullptr;
}

Result<void> NameTable::bind(const Name& key, Type type, Socket& socket)
{
    if (conflict(key, type) != nullptr)
        return Errno::AddrInUse;
    for (Entry& e : entries_) {
        if (e.socket == nullptr) {
            e = Entry{key, type, &socket};
            return {};
        }
    }
    return Errno::NoBufs;
}

Socket* NameTable::find(const Name& key, Type type) const
{
    if (key.family == Family::Unix) {
        const Entry* e = conflict(key, type);
        return e ? e->socket : nullptr;
    }
    // A socket on the exact address before one on INADDR_ANY, as Linux's lookup prefers.
    Socket* any = nullptr;
    for (const Entry& e : entries_) {
        if (e.socket == nullptr || e.key.family != Family::Inet || e.type != type ||
            e.key.port != key.port)
            continue;
        if (e.key.address == key.address)
            return e.socket;
        if (e.key.address == 0 || key.address == 0)
            any = e.socket;
    }
    return any;
}

void NameTable::unbind(const Socket& socket)
{
    for (Entry& e : entries_)
        if (e.socket == &socket)
            e = Entry{};
}

Result<uint16_t> NameTable::free_port(Type type)
{
    constexpr uint32_t Range = LastEphemeral - FirstEphemeral + 1;
    for (uint32_t tried = 0; tried < Range; ++tried) {
        const uint16_t port = next_port_;
        next_port_ = port == LastEphemeral ? FirstEphemeral : uint16_t(port + 1);
        Name key;
        key.family = Family::Inet;
        key.port = port;
        if (conflict(key, type) == nullptr)
            return port;
    }
    return Errno::AddrInUse;
}

Result<Name> NameTable::free_abstract_name()
{
    constexpr uint32_t Names = 1u << 20; // five hex digits
    for (uint32_t tried = 0; tried < Names; ++tried) {
        const uint32_t n = next_abstract_++ % Names;
        Name name;
        name.length = 6;
        for (int digit = 0; digit < 5; ++digit)
            name.path[5 - digit] = "0123456789abcdef"[(n >> (4 * digit)) & 0xf];
        if (conflict(name, Type::Stream) == nullptr)
            return name;
    }
    return Errno::AddrInUse;
}

} // namespace tessera::posix::net
