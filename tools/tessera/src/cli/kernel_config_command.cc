// `tessera kernel-config`: a copy of Tessera's kernel with another number of scheduling domains.
#include <iostream>

#include "cli/commands.h"
#include "kernel_config.h"

namespace tessera::sdf::cli {

int kernel_config_command(const CommandLine& line)
{
    const std::string problem = configure_kernel_file(line.image_file, line.output, line.kernel_domains);
    if (!problem.empty()) {
        std::cerr << "tessera: error: " << problem << "\n";
        return 1;
    }
    return 0;
}

} // namespace tessera::sdf::cli
