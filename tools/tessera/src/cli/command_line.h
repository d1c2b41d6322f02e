// The tessera command line as values: which command was named and every option's value, with
// this build tree's defaults. parse_command_line is the one place that knows the commands'
// options and help texts; each command's function (commands.h) reads what it needs from here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "launch.h"
#include "linux_run.h"
#include "vm_run.h"

namespace tessera::sdf::cli {

enum class Command { Check, Graph, Build, Gen, Strip, Inspect, KernelConfig, Boot, Run, Linux, Vm };

struct CommandLine {
    Command command = Command::Check;
    std::string system_file;
    std::string output;
    std::string image_file;
    std::string loader;           // build --loader (none by default)
    std::string run_loader;       // check and run --loader (this build's loader by default)
    std::vector<std::string> search;
    bool svg = false;
    std::string memory;           // check and run --memory, as the launcher takes it
    uint32_t kernel_domains = 0;  // kernel-config --domains
    bool kernel_given = false;    // boot --kernel was named
    std::vector<std::string> disks; // run --disk
    LaunchOptions launch;         // boot and run
    LinuxOptions linux_options;
    VmOptions vm;
    std::string vm_memory;        // vm --memory
};

// Fills `line` from the arguments. Returns the exit status when parsing ends the program (help
// was asked for, or the arguments are wrong: the message is printed), nothing when a command is
// to run.
std::optional<int> parse_command_line(int argc, char** argv, CommandLine& line);

} // namespace tessera::sdf::cli
