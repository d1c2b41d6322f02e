// Finding functions: bus 0 and every bus behind a PCI-to-PCI bridge, each bus at most once (a
// misprogrammed bridge cannot make the walk loop), multi-function devices included.
#pragma once

#include <tessera/libos/result.h>
#include <tessera/pci/config.h>

namespace tessera::pci {

struct FunctionInfo {
    Address address;
    uint16_t vendor;
    uint16_t device;
    uint32_t class_code; // class << 16 | subclass << 8 | programming interface
    uint8_t header_type; // without the multi-function bit
    uint8_t revision;
};

// Calls visit(const FunctionInfo&) for every present function, in walk order (a bus's
// functions in address order, a bridge's secondary bus right after the bridge). Returns the
// number of functions found.
class Enumerator {
public:
    explicit Enumerator(ConfigAccess& access) : access_(access) {}

    template <class Visit> unsigned for_each(Visit visit)
    {
        for (auto& word : visited_)
            word = 0;
        count_ = 0;
        walk_bus(0, 0, [](void* context, const FunctionInfo& info) {
            (*static_cast<Visit*>(context))(info);
        }, &visit);
        return count_;
    }

private:
    using Callback = void (*)(void* context, const FunctionInfo& info);
    void walk_bus(uint8_t bus, unsigned depth, Callback callback, void* context);
    bool read_function(Address address, FunctionInfo& info);

    ConfigAccess& access_;
    uint64_t visited_[4] = {};
    unsigned count_ = 0;
};

// The function a match names: by address (present), or the instance-th function with that
// vendor and device ID in ascending address order. FailedLookup when there is none.
libos::Result<FunctionInfo> find_function(ConfigAccess& access, const DeviceMatch& match);

} // namespace tessera::pci
