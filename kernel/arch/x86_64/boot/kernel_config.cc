#include "arch/x86_64/kernel_config.h"

namespace tessera::x86_64 {

// Volatile: the compiler must read what the tools wrote into the file, not the value below.
[[gnu::used]] volatile KernelConfigBlock kernel_config_block = {
    {'T', 'e', 's', 's', 'e', 'r', 'a', 'K', 'C', 'o', 'n', 'f', 'i', 'g', '1', '\0'}, 1, {0, 0, 0}};

core::DomainLimits configured_domain_limits()
{
    // Only the two configurations seL4 is known to be built in here: its default and Microkit's.
    if (kernel_config_block.domains == core::DomainCount)
        return core::DomainLimits::microkit();
    return core::DomainLimits{};
}

} // namespace tessera::x86_64
