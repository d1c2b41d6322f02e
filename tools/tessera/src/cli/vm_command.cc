// `tessera vm`: a Linux guest booted in the VMM (docs/vmm.md).
#include <iostream>

#include "cli/commands.h"
#include "machine_fit.h"

namespace tessera::sdf::cli {

int vm_command(const CommandLine& line)
{
    const auto bytes = parse_memory_size(line.vm_memory);
    if (!bytes || *bytes == 0) {
        std::cerr << "tessera: error: --memory " << line.vm_memory << ": not a size such as 128M\n";
        return 125;
    }
    VmOptions options = line.vm;
    options.memory_bytes = *bytes;
    return run_vm(options);
}

} // namespace tessera::sdf::cli
