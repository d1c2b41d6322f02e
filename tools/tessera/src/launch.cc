// The launcher replaces the tool (execvp) so QEMU's exit status, the launcher's mapping of it and
// signals such as Ctrl-C reach the user unchanged.
#include "launch.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace tessera::sdf {

std::vector<std::string> launch_command(const LaunchOptions& options)
{
    std::vector<std::string> command{"python3", options.launcher, "--kernel", options.kernel,
                                     "--root-task", options.root_task};
    if (options.timeout > 0) {
        std::ostringstream seconds;
        seconds << options.timeout;
        command.insert(command.end(), {"--timeout", seconds.str()});
    }
    if (!options.memory.empty())
        command.insert(command.end(), {"--memory", options.memory});
    if (!options.temporary.empty())
        command.insert(command.end(), {"--remove", options.temporary});
    if (options.exit_on_idle)
        command.insert(command.end(), {"--append", "exit_on_idle"});
    if (options.interactive)
        command.push_back("--interactive");
    command.insert(command.end(), options.extra.begin(), options.extra.end());
    return command;
}

int launch(const LaunchOptions& options)
{
    const std::vector<std::string> command = launch_command(options);
    std::vector<char*> argv;
    for (const auto& word : command)
        argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    std::cout.flush();
    execvp(argv[0], argv.data());
    std::cerr << "tessera run: error: cannot start " << argv[0] << ": " << std::strerror(errno) << "\n";
    return 1;
}

} // namespace tessera::sdf
