// `tessera build`: the system compiled into a boot image, bare or inside the loader.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "bootable.h"
#include "cli/commands.h"
#include "cli/defaults.h"
#include "kernel_config.h"

namespace tessera::sdf::cli {

int build_system_file(const std::string& path, const std::vector<std::string>& search,
                      const std::string& output, const std::string& loader,
                      std::optional<uint64_t> guest_memory, std::string* domain_kernel)
{
    auto bootable = make_bootable(path, search, loader, std::cerr, guest_memory);
    if (!bootable)
        return 1;
    if (!loader.empty() && bootable->system.domains) {
        std::string beside = (std::filesystem::path(output).parent_path() / "sel4_32.elf").string();
        const std::string& kernel = domain_kernel && !domain_kernel->empty() ? *domain_kernel : beside;
        const std::string problem = configure_kernel_file(DefaultKernel, kernel, MicrokitKernelDomains);
        if (!problem.empty()) {
            std::cerr << "tessera: error: the system has <domains>, and its kernel: " << problem << "\n";
            return 1;
        }
        std::printf("%s: the kernel with 16 domains for the domain schedule\n", kernel.c_str());
        if (domain_kernel)
            *domain_kernel = kernel;
    } else if (domain_kernel) {
        domain_kernel->clear();
    }
    if (!write_bytes(output, bootable->bytes, std::cerr))
        return 1;
    std::printf("%s: %zu protection domains, %zu operations, %u objects, %zu bytes%s\n",
                output.c_str(), bootable->system.protection_domains.size(),
                bootable->build.spec.ops().size(), bootable->build.spec.object_count(),
                bootable->bytes.size(), loader.empty() ? "" : " (loader with the image inside)");
    return 0;
}

int build_command(const CommandLine& line)
{
    return build_system_file(line.system_file, line.search, line.output, line.loader);
}

} // namespace tessera::sdf::cli
