// core::PortAccess for the host tests, over FakePorts' records.
#include "fake_ports.h"

namespace tessera::core {

// Sound because a host test makes no PortAccess but a FakePorts (the constructor is protected and
// FakePorts is its only class here).
Word PortAccess::read(IoPort port, PortWidth width)
{
    auto& fake = static_cast<test::FakePorts&>(*this);
    fake.reads.push_back({port.raw(), width, fake.next_read_value});
    return fake.next_read_value;
}

void PortAccess::write(IoPort port, PortWidth width, Word value)
{
    static_cast<test::FakePorts&>(*this).writes.push_back({port.raw(), width, value});
}

} // namespace tessera::core
