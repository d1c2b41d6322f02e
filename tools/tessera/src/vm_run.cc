#include "vm_run.h"

#include "elf.h"
#include "guest_bundle_format.h"
#include "launch.h"

#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera::sdf {
namespace {

constexpr int VmTimedOut = 124;
constexpr int VmFailed = 125;
// QEMU's memory beyond the guest's: the kernel, the VMM's image, its capability space and page
// tables (with 256 MiB the kernel refused the 9 MB VMM image: no memory for its root CNode).
constexpr uint64_t VmHostOverhead = 384ull << 20;

int vm_fails(const std::string& why)
{
    std::cerr << "tessera: vm: " << why << "\n";
    return VmFailed;
}

bool read_whole_file(const std::string& path, std::vector<uint8_t>& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), {});
    return true;
}

} // namespace

std::vector<uint8_t> make_guest_bundle(const std::vector<uint8_t>& kernel,
                                       const std::vector<uint8_t>& initrd,
                                       const std::string& command_line, uint64_t memory_bytes)
{
    services::vmm::GuestBundleHeader header{};
    std::memcpy(header.magic, services::vmm::GuestBundleMagic, sizeof header.magic);
    header.memory_bytes = memory_bytes;
    header.kernel_offset = sizeof header;
    header.kernel_size = kernel.size();
    header.initrd_offset = header.kernel_offset + kernel.size();
    header.initrd_size = initrd.size();
    header.command_line_offset = header.initrd_offset + initrd.size();
    header.command_line_size = command_line.size() + 1;
    std::vector<uint8_t> bundle(sizeof header);
    std::memcpy(bundle.data(), &header, sizeof header);
    bundle.insert(bundle.end(), kernel.begin(), kernel.end());
    bundle.insert(bundle.end(), initrd.begin(), initrd.end());
    bundle.insert(bundle.end(), command_line.begin(), command_line.end());
    bundle.push_back(0);
    return bundle;
}

int run_vm(const VmOptions& options)
{
    std::vector<uint8_t> kernel, initrd, vmm;
    if (!read_whole_file(options.guest_kernel, kernel))
        return vm_fails("cannot read the guest kernel " + options.guest_kernel);
    if (!options.initrd.empty() && !read_whole_file(options.initrd, initrd))
        return vm_fails("cannot read the initrd " + options.initrd);
    if (!read_whole_file(options.vmm, vmm))
        return vm_fails("cannot read the VMM " + options.vmm + " (build the target vmm)");
    std::string why;
    auto elf = ElfImage::parse(std::move(vmm), why);
    if (!elf)
        return vm_fails(options.vmm + " " + why);
    const auto placeholder = elf->symbol(TESSERA_VM_GUEST_SYMBOL);
    if (!placeholder)
        return vm_fails(options.vmm + " is not the VMM (no '" TESSERA_VM_GUEST_SYMBOL "' symbol)");
    const std::vector<uint8_t> bundle =
        make_guest_bundle(kernel, initrd, options.append, options.memory_bytes);
    if (!elf->replace_segment(placeholder->value, bundle, why) ||
        !elf->patch(TESSERA_VM_GUEST_SIZE_SYMBOL, bundle.size(), 8, why))
        return vm_fails(options.vmm + " " + why);

    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp ? tmp : "/tmp") + "/tessera-vm-XXXXXX";
    const int file = mkstemp(path.data());
    if (file < 0)
        return vm_fails("cannot make a temporary file in " + path);
    const auto& image = elf->bytes();
    const bool written =
        write(file, image.data(), image.size()) == static_cast<ssize_t>(image.size());
    close(file);
    if (!written) {
        std::remove(path.c_str());
        return vm_fails("cannot write " + path);
    }

    LaunchOptions launch;
    launch.launcher = options.launcher;
    launch.kernel = options.kernel;
    launch.root_task = path;
    launch.timeout = options.timeout;
    launch.memory = std::to_string((options.memory_bytes + VmHostOverhead) >> 20) + "M";
    launch.extra = {"--input", "none"};
    const std::vector<std::string> command = launch_command(launch);
    const pid_t child = fork();
    if (child < 0) {
        std::remove(path.c_str());
        return vm_fails("cannot start the launcher");
    }
    if (child == 0) {
        std::vector<char*> argv;
        for (const auto& word : command)
            argv.push_back(const_cast<char*>(word.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    std::remove(path.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : VmFailed;
    // The VMM ends with status 0 only when the guest powered off (docs/vmm.md).
    if (code == 0 || code == VmTimedOut)
        return code;
    return vm_fails("the guest or the system stopped (launcher status " + std::to_string(code) +
                    ")");
}

} // namespace tessera::sdf
