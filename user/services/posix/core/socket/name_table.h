// The names sockets are bound to (docs/posix.md, "Sockets"): one table in the server, for
// AF_UNIX names (paths, folded to absolute by the server, and abstract names; one namespace for
// both types, as Linux's) and AF_INET ports (one space per type: TCP's and UDP's).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "core/socket/socket_name.h"

namespace tessera::posix::net {

class Socket;

class NameTable {
public:
    static constexpr size_t Capacity = 128;
    // Linux's default ip_local_port_range.
    static constexpr uint16_t FirstEphemeral = 32768, LastEphemeral = 60999;

    // `socket` takes `key`: EADDRINUSE when a socket has it (an AF_INET port bound to a
    // covering address: INADDR_ANY covers every address), ENOBUFS when the table is full.
    Result<void> bind(const Name& key, Type type, Socket& socket);
    // The socket bound to `key` (AF_INET: of `type`, on the address or on INADDR_ANY), or null.
    Socket* find(const Name& key, Type type) const;
    void unbind(const Socket& socket);
    // A port no socket of `type` holds (EADDRINUSE when every ephemeral one is taken).
    Result<uint16_t> free_port(Type type);
    // A free autobind name for AF_UNIX: an abstract "\0" and five hex digits, as Linux's.
    Result<Name> free_abstract_name();

private:
    struct Entry {
        Name key;
        Type type = Type::Stream;
        Socket* socket = nullptr; // null: free
    };
    const Entry* conflict(const Name& key, Type type) const;

    Entry entries_[Capacity];
    uint16_t next_port_ = FirstEphemeral;
    uint32_t next_abstract_ = 0;
};

} // namespace tessera::posix::net
