// The tessera command line: check, graph, gen, strip, build, inspect, kernel-config, boot, run,
// linux and vm, and, called as `microkit`, Microkit's own. The options are parsed in
// cli/command_line.cc and each command is a function of its own (cli/commands.h); this file picks
// the one named, after the checks every command shares. All errors are caught here and printed;
// the exit status is 0 on success and 1 otherwise, unless the command's help says more.
#include <exception>
#include <filesystem>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "gen.h"
#include "machine_fit.h"
#include "microkit_cli.h"
#include "search_path.h"

using namespace tessera::sdf;
using namespace tessera::sdf::cli;

namespace {

int run(CommandLine& line)
{
    const auto guest_memory = parse_memory_size(line.memory);
    if (!guest_memory) {
        std::cerr << "tessera: error: --memory " << line.memory << ": not a size such as 512M or 2G\n";
        return 1;
    }
    // A system under systems/ finds its programs in this build tree (search_path.h).
    line.search = with_default_search_path(line.system_file, std::move(line.search), TESSERA_SOURCE_DIR,
                                           TESSERA_BUILD_DIR);
    switch (line.command) {
    case Command::Check:
        return check_command(line, *guest_memory);
    case Command::Graph:
        return graph_command(line);
    case Command::Build:
        return build_command(line);
    case Command::Gen:
        return generate_interfaces(line.system_file, line.output, std::cout, std::cerr);
    case Command::Strip:
        return strip_command(line);
    case Command::Inspect:
        return inspect_command(line);
    case Command::KernelConfig:
        return kernel_config_command(line);
    case Command::Boot:
        return boot_command(line);
    case Command::Run:
        return run_command(line, *guest_memory);
    case Command::Linux:
        return run_linux(line.linux_options);
    case Command::Vm:
        return vm_command(line);
    }
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    // As bin/microkit of the SDK (or `tessera microkit ...`): Microkit's own command line.
    if (std::filesystem::path(argv[0]).filename() == "microkit")
        return microkit_main(argc, argv);
    if (argc > 1 && std::string(argv[1]) == "microkit")
        return microkit_main(argc - 1, argv + 1);

    CommandLine line;
    if (const auto status = parse_command_line(argc, argv, line))
        return *status;
    try {
        return run(line);
    } catch (const std::exception& error) {
        std::cerr << "tessera: error: " << error.what() << "\n";
        return 1;
    }
}
