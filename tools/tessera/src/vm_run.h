// `tessera vm`: boots a Linux guest in the VMM protection domain of a system (vm_system.h:
// the VMM beside the UART driver and serial virtualiser, and with a disk the virtio-blk driver and
// block virtualiser). The guest's kernel, initrd and command line go into a guest bundle
// (user/services/vmm/guest_bundle_format.h), a prefill file of the VMM's; the system is built
// with the loader in a temporary directory and booted through scripts/launch.py. The guest's
// console is this program's standard input and output; the kernel's and the loader's lines and
// the launcher's are shown only with `verbose` (and written to `log`), or when the system stops
// before the VMM started.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "launch.h"
#include "vm_system.h"

namespace tessera::sdf {

struct VmOptions {
    std::string launcher;
    std::string kernel;   // Tessera's
    std::string loader;   // the loader ELF
    std::string programs; // the directory of the system's programs (build/systems/linux_vm)
    std::string guest_kernel;
    std::string initrd;
    std::string append;
    uint64_t memory_bytes = 0; // guest RAM
    double timeout = 0;
    std::string log; // everything the system and the launcher print, when not empty
    bool verbose = false;
    std::vector<std::string> disks; // IMAGE[,ro] each, at most MaxVmDisks (vm_system.h)
    // Once input has ended, how long the idle system must stay quiet before the launcher ends
    // the run. The VMM wakes every 100 ms of guest time while its guest lives, so the system
    // goes idle between wakes; the launcher's own 0.3 s (scripts/console.py) is shorter than a
    // niced QEMU on a saturated machine can be off the CPU, which ended runs as if the system
    // had stopped. Seconds: a longer wait only delays the end of a run whose VMM has died.
    double idle_quiet = DefaultVmIdleQuiet;
    uint64_t exit_limit = 0; // the VMM's exit-storm limit (exits per guest second); 0: its default
    bool icount = false; // QEMU's -icount shift=0: the TSC counts instructions (benchmarks)
    static constexpr double DefaultVmIdleQuiet = 10;
};

// What --disk IMAGE[,ro] says: disk N is the N-th option (the guest's 00:0(N+1).0, vda, vdb, ...).
struct VmDisk {
    std::string image;
    bool read_only = false;
};

// The --disk options, or false with why: more than MaxVmDisks, an empty image name, or a flag
// other than `ro` after a comma (the launcher's others are not the guest's to choose).
bool parse_vm_disks(const std::vector<std::string>& options, std::vector<VmDisk>& disks,
                    std::string& why);

// The launcher's options for a run of `image` (the built system) in `machine_bytes` of memory.
LaunchOptions vm_launch_options(const VmOptions& options, const std::string& image,
                                uint64_t machine_bytes);

// Takes the kernel's idle line (`tessera: no runnable thread: idle`, printed on COM1 each time
// the system goes idle: between two wake-ups of the VMM) out of the console stream the tool shows
// as the guest's, byte by byte: only bytes that could still be that line at a line's start are
// held, so a prompt without a newline shows at once.
class IdleLineFilter {
public:
    // The bytes to show now.
    std::string feed(const char* bytes, size_t size);

private:
    std::string pending_;
    bool line_start_ = true;
};

// QEMU's memory for a guest of `guest_bytes` and a system image of `image_bytes`: the guest's
// RAM, the image twice (the boot module and the frames the loader fills from it: the guest bundle
// is most of it), and room for the kernel, the loader, the components and their page tables and
// the guest's nested ones.
uint64_t vm_machine_memory(uint64_t guest_bytes, uint64_t image_bytes);

// The bundle's bytes: header, kernel, initrd, command line with its NUL.
std::vector<uint8_t> make_guest_bundle(const std::vector<uint8_t>& kernel,
                                       const std::vector<uint8_t>& initrd,
                                       const std::string& command_line, uint64_t memory_bytes);

// Exit status: 0 when the guest powered off, 124 at the timeout, 125 when the guest or the
// system stopped otherwise (a crash, a reset, a refused image) or nothing could start.
int run_vm(const VmOptions& options);

} // namespace tessera::sdf
