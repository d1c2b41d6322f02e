#include "kernel_config.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace tessera::sdf {
namespace {

// The block's magic and its terminating zero; the domain count follows as 32 bits, little endian.
constexpr char Magic[16] = {'T', 'e', 's', 's', 'e', 'r', 'a', 'K', 'C', 'o', 'n', 'f', 'i', 'g', '1', '\0'};

} // namespace

std::string configure_kernel(std::vector<uint8_t>& kernel, uint32_t domains)
{
    if (domains != DefaultKernelDomains && domains != MicrokitKernelDomains)
        return "the kernel takes 1 domain (seL4's default) or 16 (Microkit's), not " + std::to_string(domains);
    const auto is_magic = [&](size_t at) { return std::memcmp(kernel.data() + at, Magic, sizeof Magic) == 0; };
    size_t found = kernel.size();
    for (size_t at = 0; at + sizeof Magic + 4 <= kernel.size(); ++at)
        if (kernel[at] == 'T' && is_magic(at)) {
            if (found != kernel.size())
                return "two configuration blocks: not a Tessera kernel this tool knows";
            found = at;
        }
    if (found == kernel.size())
        return "no configuration block: not a Tessera kernel (seL4's own kernels are configured when built)";
    for (unsigned byte = 0; byte < 4; ++byte)
        kernel[found + sizeof Magic + byte] = static_cast<uint8_t>(domains >> (8 * byte));
    return "";
}

std::string configure_kernel_file(const std::string& from, const std::string& to, uint32_t domains)
{
    std::ifstream in(from, std::ios::binary);
    if (!in)
        return "cannot read " + from;
    std::vector<uint8_t> kernel{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::string problem = configure_kernel(kernel, domains);
    if (!problem.empty())
        return from + ": " + problem;
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(kernel.data()), static_cast<std::streamsize>(kernel.size()));
    return out ? "" : "cannot write " + to;
}

} // namespace tessera::sdf
