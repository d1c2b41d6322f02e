// `tessera strip`: the plain Microkit description, with the interfaces lowered to the channels,
// regions and maps they stand for.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "checker.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "strip.h"

namespace tessera::sdf::cli {

int strip_command(const CommandLine& line)
{
    const std::string& path = line.system_file;
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string why;
    auto plain = strip_system(text.str(), system, std::filesystem::path(path).filename().string(), why);
    if (!plain) {
        std::cerr << path << ": error: " << why << "\n";
        return 1;
    }
    return write_output(line.output, *plain);
}

} // namespace tessera::sdf::cli
