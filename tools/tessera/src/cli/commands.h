// One function per tessera command, each in its own file; each returns the exit status (0 on
// success, 1 on an error it printed, or the launcher's or the program's status where the
// command's help says so). `line.search` is already completed with the default search path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/command_line.h"

namespace tessera::sdf::cli {

// The description's own checks, every program image found, then the fit to the machine.
int check_command(const CommandLine& line, uint64_t guest_memory);
int graph_command(const CommandLine& line);
int build_command(const CommandLine& line);
int strip_command(const CommandLine& line);
int inspect_command(const CommandLine& line);
int kernel_config_command(const CommandLine& line);
int boot_command(const CommandLine& line);
int run_command(const CommandLine& line, uint64_t guest_memory);
int vm_command(const CommandLine& line);

// Compiles the system and writes either the bare boot image or, with a loader, the bootable
// loader ELF that carries it; with guest_memory, a system that machine cannot hold is refused.
// A system with <domains> needs a kernel with Microkit's 16 domains: with a loader, this build's
// kernel so configured is written to `domain_kernel` (set to sel4_32.elf beside the output when
// empty, as Microkit writes its kernel; cleared when the system has no domains). Returns the
// exit status. `build` and `run` share it.
int build_system_file(const std::string& path, const std::vector<std::string>& search,
                      const std::string& output, const std::string& loader,
                      std::optional<uint64_t> guest_memory = std::nullopt,
                      std::string* domain_kernel = nullptr);

} // namespace tessera::sdf::cli
