// Looking a capability up by ID.
#include <tessera/pci/capability.h>

namespace tessera::pci {

libos::Result<Capability> find_capability(const ConfigSpace& space, uint8_t id)
{
    Capability found{0, 0};
    auto walked = for_each_capability(space, [&](Capability capability) {
        if (found.offset == 0 && capability.id == id)
            found = capability;
    });
    if (found.offset != 0)
        return found;
    if (!walked)
        return walked.error();
    return libos::make_error(seL4_FailedLookup, "pci: no such capability");
}

} // namespace tessera::pci
