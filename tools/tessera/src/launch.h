// `tessera run`: hands a bootable loader ELF to scripts/launch.py, which boots it in QEMU.
#pragma once

#include <string>
#include <vector>

namespace tessera::sdf {

struct LaunchOptions {
    std::string launcher;    // scripts/launch.py
    std::string kernel;      // the 32-bit Multiboot kernel
    std::string root_task;   // the loader with the system image inside
    double timeout = 0;      // seconds; 0 = none
    bool exit_on_idle = false; // the kernel ends QEMU once no thread can run
    bool interactive = false;  // serial on the terminal, Ctrl-A X quits
    std::vector<std::string> extra; // more launcher arguments, passed unchanged
    std::string memory;      // guest memory ("512M"); empty = the launcher's default
    std::string temporary;   // a file the launcher deletes when the run ends (the built image)
};

// The launcher's command line for these options (python3 first).
std::vector<std::string> launch_command(const LaunchOptions& options);

// Replaces this process with the launcher; returns only when it cannot be started (with a
// message printed), with exit status 1.
int launch(const LaunchOptions& options);

} // namespace tessera::sdf
