// Settings that seL4 fixes when it is built and Tessera reads from its own file at boot: the
// tools rewrite this block in a copy of the kernel (tools/tessera: `tessera kernel-config`, the
// SDK's kernels, `microkit` for a system with <domains>), so one build serves seL4's default
// configuration and Microkit's.
#pragma once

#include <cstdint>

#include "scheduler/domain_schedule.h"

namespace tessera::x86_64 {

// Found in the kernel file by its magic; the layout is the tools' (tools/tessera/src/kernel_config.h).
struct KernelConfigBlock {
    char magic[16];       // "TesseraKConfig1" and its terminating zero
    uint32_t domains;     // 1: seL4's default build (two schedule entries); 16: Microkit's (100)
    uint32_t reserved[3];
};

// The domain limits the block asks for; anything but 1 or 16 domains is read as 1.
core::DomainLimits configured_domain_limits();

} // namespace tessera::x86_64
