// `tessera boot`: a built image booted in QEMU through the launcher.
#include <filesystem>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/defaults.h"

namespace tessera::sdf::cli {

namespace {

// The kernel to boot IMAGE with: the one Microkit's tool wrote beside it, else this build's.
std::string kernel_beside(const std::string& image, const std::string& fallback)
{
    const auto beside = std::filesystem::path(image).parent_path() / "sel4_32.elf";
    std::error_code ignored;
    return std::filesystem::exists(beside, ignored) ? beside.string() : fallback;
}

} // namespace

int boot_command(const CommandLine& line)
{
    LaunchOptions options = line.launch;
    if (!line.kernel_given)
        options.kernel = kernel_beside(line.image_file, DefaultKernel);
    else if (options.kernel == "tessera")
        options.kernel = DefaultKernel;
    options.root_task = line.image_file;
    options.interactive = options.timeout == 0 && isatty(0);
    return launch(options);
}

} // namespace tessera::sdf::cli
