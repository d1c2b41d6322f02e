// `tessera run`: the system built as `build --loader` would, then booted through the launcher.
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/defaults.h"

namespace tessera::sdf::cli {

namespace {

// A fresh file for the bootable image `tessera run` writes when the user names none, in the
// temporary directory, beside nothing the user owns; the launcher deletes it when the run ends.
std::string temporary_output(const std::string& system_file)
{
    const std::string stem = std::filesystem::path(system_file).stem().string();
    std::string path = (std::filesystem::temp_directory_path() / ("tessera-run-" + stem + "-XXXXXX.elf")).string();
    const int fd = mkstemps(path.data(), 4);
    if (fd < 0)
        throw std::runtime_error("cannot create a temporary file in " +
                                 std::filesystem::temp_directory_path().string());
    close(fd);
    return path;
}

} // namespace

int run_command(const CommandLine& line, uint64_t guest_memory)
{
    LaunchOptions options = line.launch;
    options.root_task = line.output.empty() ? temporary_output(line.system_file) : line.output;
    if (line.output.empty())
        options.temporary = options.root_task;
    // The launcher resolves seL4's names; Tessera's kernel is this build tree's.
    if (options.kernel == "tessera")
        options.kernel = DefaultKernel;
    options.memory = line.memory;
    // A system with <domains> boots this build's kernel configured for 16 domains, written
    // beside the image (deleted with it when the image is temporary).
    std::string domain_kernel = options.root_task + ".kernel.elf";
    const int built = build_system_file(line.system_file, line.search, options.root_task,
                                        line.run_loader, guest_memory, &domain_kernel);
    if (built != 0) {
        if (!options.temporary.empty())
            std::filesystem::remove(options.temporary);
        return built;
    }
    if (!domain_kernel.empty() && options.kernel == DefaultKernel) {
        options.kernel = domain_kernel;
        if (!options.temporary.empty())
            options.extra.insert(options.extra.end(), {"--remove", domain_kernel});
    }
    options.interactive = options.timeout == 0 && isatty(0);
    for (const auto& disk : line.disks)
        options.extra.insert(options.extra.end(), {"--disk", disk});
    return launch(options);
}

} // namespace tessera::sdf::cli
