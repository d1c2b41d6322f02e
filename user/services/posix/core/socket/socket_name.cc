// sockaddr decoding and encoding.
#include "core/socket/socket_name.h"

#include <string.h>

#include "linux/constants.h"
#include "linux/structures.h"

namespace tessera::posix::net {

namespace {

constexpr size_t FamilySize = sizeof(uint16_t); // offsetof(sockaddr_un, sun_path)

uint16_t swap16(uint16_t v)
{
    return uint16_t((v >> 8) | (v << 8));
}

} // namespace

bool operator==(const Name& a, const Name& b)
{
    if (a.family != b.family)
        return false;
    if (a.family == Family::Inet)
        return a.address == b.address && a.port == b.port;
    return a.length == b.length && memcmp(a.path, b.path, a.length) == 0;
}

bool is_loopback(uint32_t address)
{
    return address == 0 || (address >> 24) == 127;
}

Result<Name> decode_name(const void* bytes, size_t length, Family family)
{
    const auto* raw = static_cast<const uint8_t*>(bytes);
    Name name;
    name.family = family;
    if (family == Family::Unix) {
        uint16_t given = 0;
        if (length < FamilySize || length > sizeof(linux::SockAddrUnix))
            return Errno::Inval;
        memcpy(&given, raw, sizeof given);
        if (given != uint16_t(linux::socket_const::Unix))
            return Errno::Inval;
        const char* path = reinterpret_cast<const char*>(raw + FamilySize);
        size_t n = length - FamilySize;
        if (n > 0 && path[0] != '\0')
            n = strnlen(path, n); // a path ends at its NUL; an abstract name is every byte
        name.length = uint8_t(n);
        memcpy(name.path, path, n);
        return name;
    }
    linux::SockAddrIn in{};
    if (length < sizeof in)
        return Errno::Inval;
    memcpy(&in, raw, sizeof in);
    if (in.family != uint16_t(linux::socket_const::Inet))
        return Errno::AfNoSupport;
    name.port = swap16(in.port);
    name.address = __builtin_bswap32(in.address);
    return name;
}

EncodedName encode_name(const Name& name)
{
    EncodedName out;
    if (name.family == Family::Inet) {
        linux::SockAddrIn in{};
        in.family = uint16_t(linux::socket_const::Inet);
        in.port = swap16(name.port);
        in.address = __builtin_bswap32(name.address);
        memcpy(out.bytes, &in, sizeof in);
        out.length = sizeof in;
        return out;
    }
    const uint16_t family = uint16_t(linux::socket_const::Unix);
    memcpy(out.bytes, &family, sizeof family);
    memcpy(out.bytes + FamilySize, name.path, name.length);
    out.length = uint32_t(FamilySize + name.length + (name.length > 0 && !name.abstract() ? 1 : 0));
    return out;
}

} // namespace tessera::posix::net
