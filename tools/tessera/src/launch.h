// `tessera run`, `vm` and `linux`: hand a bootable ELF to scripts/launch.py, which boots it in
// QEMU. `run` becomes the launcher; `vm` and `linux` patch a copy of an image into a temporary
// file and run the launcher as a child, reading what it prints.
#pragma once

#include <cstdint>
#include <functional>
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

// Writes `image` to a new file "$TMPDIR/<prefix>-XXXXXX" (TMPDIR defaults to /tmp). Its path, or
// empty with `why` (nothing is left behind then).
std::string write_temporary_image(const std::string& prefix, const std::vector<uint8_t>& image,
                                  std::string& why);

// What a child launcher reads as standard input: the tool's own (the launcher relays it to the
// console), or nothing (/dev/null).
enum class LauncherInput { Inherited, Nothing };

// Where a child launcher's two outputs go, as they arrive: its standard output is COM1 (the
// system's console), its standard error its own lines.
struct LauncherOutput {
    std::function<void(const char* bytes, size_t size)> console;
    std::function<void(const char* bytes, size_t size)> launcher;
};

// Runs `command` as a child, hands both its outputs to `output` until they end, and waits for
// it. Its exit status; -1 with `why` when it could not start or did not exit (a signal).
int run_launcher(const std::vector<std::string>& command, LauncherInput input,
                 const LauncherOutput& output, std::string& why);

} // namespace tessera::sdf
