// Tessera's kernel reads a few of what seL4 fixes at build time from a block in its own file
// (kernel/arch/x86_64/include/arch/x86_64/kernel_config.h): this writes that block in a copy of
// the kernel, so one kernel build serves seL4's default configuration and Microkit's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::sdf {

// Domains a kernel can be given: seL4's default build (1) and Microkit's SDK kernels (16).
inline constexpr uint32_t DefaultKernelDomains = 1;
inline constexpr uint32_t MicrokitKernelDomains = 16;

// Sets the number of scheduling domains in `kernel` (a Tessera kernel file, 32- or 64-bit ELF).
// An empty string on success; otherwise why not (no configuration block, or more than one, or a
// count the kernel does not take).
std::string configure_kernel(std::vector<uint8_t>& kernel, uint32_t domains);

// Reads `from`, configures it and writes `to`; the reason on failure, else empty.
std::string configure_kernel_file(const std::string& from, const std::string& to, uint32_t domains);

} // namespace tessera::sdf
