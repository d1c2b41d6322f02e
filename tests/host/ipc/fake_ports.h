// The host tests' I/O ports: core::PortAccess recording every access, reads answering a value the
// test sets. fake_ports.cc defines PortAccess's members over it, linked in place of the kernel's
// port instructions (STYLE rule 9).
#pragma once

#include <vector>

#include "ioport/ioport_invocation.h"

namespace tessera::core::test {

// The only PortAccess a host test makes.
struct FakePorts final : PortAccess {
    struct Access {
        Word port;
        PortWidth width;
        Word value;
        bool operator==(const Access&) const = default;
    };
    std::vector<Access> reads, writes;
    Word next_read_value = 0;
};

} // namespace tessera::core::test
