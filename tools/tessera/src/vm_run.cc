#include "vm_run.h"

#include "elf.h"
#include "guest_bundle_format.h"
#include "launch.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera::sdf {
namespace {

constexpr int VmTimedOut = 124;
constexpr int VmFailed = 125;
constexpr uint64_t VmHostRoom = 128ull << 20;
// The VMM's first line: what came before it is the kernel's boot, after it the guest's console.
constexpr char VmmLinePrefix[] = "vmm: ";
// Lines of the held-back boot output shown when the system stops before the VMM started.
constexpr size_t BootLinesOnFailure = 20;

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

// Sorts what the launcher prints. Its standard output is COM1 (the kernel's lines, then the
// VMM's and the guest's console); its standard error, its own lines. Everything goes to the log;
// the terminal gets the console from the VMM's first line on, and the rest only when verbose.
class OutputSorter {
public:
    OutputSorter(std::ofstream* log, bool verbose) : log_(log), verbose_(verbose) {}

    void console(const char* bytes, size_t size)
    {
        to_log(bytes, size);
        if (verbose_ || started_) {
            write_out(STDOUT_FILENO, bytes, size);
            return;
        }
        held_.append(bytes, size);
        size_t line_start = 0;
        for (size_t end; (end = held_.find('\n', line_start)) != std::string::npos; line_start = end + 1) {
            if (held_.compare(line_start, sizeof VmmLinePrefix - 1, VmmLinePrefix) == 0) {
                started_ = true;
                write_out(STDOUT_FILENO, held_.data() + line_start, held_.size() - line_start);
                held_.clear();
                return;
            }
        }
    }

    void launcher(const char* bytes, size_t size)
    {
        to_log(bytes, size);
        if (verbose_)
            write_out(STDERR_FILENO, bytes, size);
    }

    // After a failure: the last boot lines, if the VMM never started and they were held back.
    void show_held_back() const
    {
        if (started_ || verbose_ || held_.empty())
            return;
        size_t from = held_.size(), lines = 0;
        while (from > 0 && lines <= BootLinesOnFailure)
            if (held_[--from] == '\n')
                lines++;
        write_out(STDERR_FILENO, held_.data() + from, held_.size() - from);
    }

private:
    void to_log(const char* bytes, size_t size)
    {
        if (log_)
            log_->write(bytes, std::streamsize(size)).flush();
    }
    static void write_out(int fd, const char* bytes, size_t size)
    {
        while (size > 0) {
            const ssize_t n = write(fd, bytes, size);
            if (n <= 0)
                return;
            bytes += n;
            size -= size_t(n);
        }
    }

    std::ofstream* log_;
    bool verbose_;
    bool started_ = false;
    std::string held_;
};

// Copies the launcher's two outputs through `sorter` until both end.
void relay_output(int console_fd, int launcher_fd, OutputSorter& sorter)
{
    pollfd fds[2] = {{console_fd, POLLIN, 0}, {launcher_fd, POLLIN, 0}};
    char buffer[4096];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
            } else if (i == 0) {
                sorter.console(buffer, size_t(n));
            } else {
                sorter.launcher(buffer, size_t(n));
            }
        }
    }
}

} // namespace

uint64_t vm_machine_memory(uint64_t guest_bytes, uint64_t image_bytes)
{
    constexpr uint64_t mib = 1ull << 20;
    return (guest_bytes + 2 * image_bytes + VmHostRoom + mib - 1) / mib * mib;
}

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

    std::ofstream log;
    if (!options.log.empty()) {
        log.open(options.log, std::ios::binary | std::ios::trunc);
        if (!log) {
            std::remove(path.c_str());
            return vm_fails("cannot write the log " + options.log);
        }
    }

    LaunchOptions launch;
    launch.launcher = options.launcher;
    launch.kernel = options.kernel;
    launch.root_task = path;
    launch.timeout = options.timeout;
    launch.temporary = path;
    launch.memory = std::to_string(vm_machine_memory(options.memory_bytes, image.size()) >> 20) + "M";
    const std::vector<std::string> command = launch_command(launch);
    int console_pipe[2], launcher_pipe[2];
    if (pipe(console_pipe) != 0 || pipe(launcher_pipe) != 0) {
        std::remove(path.c_str());
        return vm_fails("cannot make a pipe");
    }
    std::cout.flush();
    const pid_t child = fork();
    if (child < 0) {
        std::remove(path.c_str());
        return vm_fails("cannot start the launcher");
    }
    if (child == 0) {
        // Standard input stays the tool's: the launcher relays it to COM1, the guest's console.
        dup2(console_pipe[1], STDOUT_FILENO);
        dup2(launcher_pipe[1], STDERR_FILENO);
        for (int fd : {console_pipe[0], console_pipe[1], launcher_pipe[0], launcher_pipe[1]})
            close(fd);
        std::vector<char*> argv;
        for (const auto& word : command)
            argv.push_back(const_cast<char*>(word.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(console_pipe[1]);
    close(launcher_pipe[1]);
    OutputSorter sorter(log.is_open() ? &log : nullptr, options.verbose);
    relay_output(console_pipe[0], launcher_pipe[0], sorter);
    int status = 0;
    waitpid(child, &status, 0);
    std::remove(path.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : VmFailed;
    // The VMM ends with status 0 only when the guest powered off (docs/vmm.md).
    if (code == 0)
        return 0;
    if (code == VmTimedOut) {
        std::cerr << "tessera: vm: timed out: no poweroff after " << options.timeout << " s\n";
        return VmTimedOut;
    }
    sorter.show_held_back();
    return vm_fails("the guest or the system stopped (launcher status " + std::to_string(code) +
                    ")");
}

} // namespace tessera::sdf
