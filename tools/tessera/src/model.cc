// Name lookups over the parsed system.
#include "model.h"

namespace tessera::sdf {

std::optional<size_t> System::pd_index(const std::string& name) const
{
    for (size_t i = 0; i < protection_domains.size(); ++i)
        if (protection_domains[i].name == name)
            return i;
    return std::nullopt;
}

const ProtectionDomain* System::find_pd(const std::string& name) const
{
    auto index = pd_index(name);
    return index ? &protection_domains[*index] : nullptr;
}

const MemoryRegion* System::find_mr(const std::string& name) const
{
    for (const auto& region : memory_regions)
        if (region.name == name)
            return &region;
    return nullptr;
}

} // namespace tessera::sdf
