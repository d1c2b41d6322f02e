// A socket's address as the server keeps it, and Linux's sockaddr_un / sockaddr_in forms of it
// (bind, connect and sendto decode one; getsockname, getpeername, accept and recvfrom encode
// one). The rules for lengths and families are Linux's (unix_validate_addr, inet_bind).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"

namespace tessera::posix::net {

enum class Family : uint8_t { Unix = 1, Inet = 2 };
enum class Type : uint8_t { Stream = 1, Datagram = 2 };

struct Name {
    static constexpr size_t PathCapacity = 108; // sun_path

    Family family = Family::Unix;
    // AF_UNIX: the path's bytes (no NUL), or an abstract name's with its leading NUL; 0 bytes is
    // an unnamed socket.
    uint8_t length = 0;
    char path[PathCapacity] = {};
    // AF_INET, host order: 0.0.0.0 (INADDR_ANY) and port 0 are "any".
    uint32_t address = 0;
    uint16_t port = 0;

    bool named() const { return family == Family::Inet ? port != 0 : length != 0; }
    bool abstract() const { return family == Family::Unix && length > 0 && path[0] == '\0'; }
};

bool operator==(const Name& a, const Name& b);

// Whether the address is one of this machine's: the loopback net 127/8 (there is no other
// interface); INADDR_ANY is loopback too.
bool is_loopback(uint32_t address);

// What the `length` bytes of a sockaddr mean for a socket of `family`: EINVAL for a short or
// long one or (AF_UNIX) another family; EAFNOSUPPORT for AF_INET given another family. An
// AF_UNIX address of the family alone is the unnamed name (bind: autobind).
Result<Name> decode_name(const void* bytes, size_t length, Family family);

// Linux's sockaddr bytes for `name` in `out`: the length Linux reports (a path name's counts its
// NUL, an abstract name's does not, an unnamed one is the family alone).
struct EncodedName {
    uint8_t bytes[112] = {};
    uint32_t length = 0;
};
EncodedName encode_name(const Name& name);

} // namespace tessera::posix::net
