// Walking the buses and matching devices.
#include <tessera/pci/enumerate.h>
#include <tessera/pci/registers.h>

namespace tessera::pci {
namespace {

// Bridges nest at most this deep in the walk; deeper hierarchies exist only on paper and a
// misprogrammed bridge chain must not recurse without bound.
constexpr unsigned MaxBridgeDepth = 16;

} // namespace

bool Enumerator::read_function(Address address, FunctionInfo& info)
{
    const uint32_t ids = access_.read(address, reg::VendorId, Width::Dword);
    if ((ids & 0xffff) == reg::NoVendor || (ids & 0xffff) == 0)
        return false;
    const uint32_t class_revision = access_.read(address, reg::Revision, Width::Dword);
    info = FunctionInfo{address, static_cast<uint16_t>(ids), static_cast<uint16_t>(ids >> 16),
                        class_revision >> 8,
                        static_cast<uint8_t>(access_.read(address, reg::HeaderType, Width::Byte) &
                                             reg::HeaderTypeMask),
                        static_cast<uint8_t>(class_revision)};
    return true;
}

void Enumerator::walk_bus(uint8_t bus, unsigned depth, Callback callback, void* context)
{
    if (visited_[bus / 64] & (uint64_t(1) << (bus % 64)))
        return;
    visited_[bus / 64] |= uint64_t(1) << (bus % 64);
    for (uint8_t device = 0; device <= MaxDevice; ++device) {
        FunctionInfo info;
        if (!read_function(Address{bus, device, 0}, info))
            continue;
        const bool multi = (access_.read(Address{bus, device, 0}, reg::HeaderType, Width::Byte) &
                            reg::HeaderMultiFunction) != 0;
        for (uint8_t function = 0; function <= (multi ? MaxFunction : 0); ++function) {
            if (function != 0 && !read_function(Address{bus, device, function}, info))
                continue;
            ++count_;
            callback(context, info);
            if (info.header_type != reg::HeaderTypeBridge || depth >= MaxBridgeDepth)
                continue;
            const uint8_t secondary = static_cast<uint8_t>(
                access_.read(info.address, reg::SecondaryBus, Width::Byte));
            // Bus 0 is never behind a bridge; an unconfigured bridge reads 0 there.
            if (secondary != 0 && secondary != bus)
                walk_bus(secondary, depth + 1, callback, context);
        }
    }
}

libos::Result<FunctionInfo> find_function(ConfigAccess& access, const DeviceMatch& match)
{
    Enumerator enumerator(access);
    FunctionInfo found{};
    bool have = false;
    if (match.kind == DeviceMatch::Kind::ByAddress) {
        enumerator.for_each([&](const FunctionInfo& info) {
            if (info.address == match.address) {
                found = info;
                have = true;
            }
        });
    } else {
        // The instance-th in ascending address order: remember the lowest `instance + 1`
        // matching addresses (walk order is not address order behind bridges).
        constexpr unsigned MaxInstances = 256;
        uint16_t ids[MaxInstances];
        FunctionInfo infos[MaxInstances];
        unsigned kept = 0;
        const unsigned wanted = match.instance + 1u;
        enumerator.for_each([&](const FunctionInfo& info) {
            if (info.vendor != match.vendor || info.device != match.device)
                return;
            const uint16_t id = info.address.routing_id();
            // Insertion into a sorted list that keeps only the `wanted` lowest.
            unsigned position = kept;
            while (position > 0 && ids[position - 1] > id)
                --position;
            if (position >= wanted)
                return;
            const unsigned last = kept < wanted ? kept : wanted - 1;
            for (unsigned i = last; i > position; --i) {
                ids[i] = ids[i - 1];
                infos[i] = infos[i - 1];
            }
            ids[position] = id;
            infos[position] = info;
            if (kept < wanted)
                ++kept;
        });
        if (kept == wanted) {
            found = infos[wanted - 1];
            have = true;
        }
    }
    if (!have)
        return libos::make_error(seL4_FailedLookup, "pci: no such device");
    return found;
}

} // namespace tessera::pci
