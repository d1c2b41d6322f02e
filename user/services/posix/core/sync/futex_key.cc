#include "core/sync/futex_key.h"

namespace tessera::posix {

Result<FutexKey> futex_key(AddressSpace& space, uint64_t address, bool private_futex)
{
    if ((address & 3) != 0)
        return Errno::Inval;
    const Region* region = private_futex ? nullptr : space.region_at(address);
    if (region == nullptr || !region->shared)
        return FutexKey{&space, address};
    const uint8_t* bytes = space.page_bytes(address, Access::Read);
    if (bytes == nullptr)
        return Errno::Fault;
    return FutexKey{nullptr, uint64_t(reinterpret_cast<uintptr_t>(bytes))};
}

} // namespace tessera::posix
