#include "vm_run.h"

#include "bootable.h"
#include "guest_bundle_format.h"
#include "launch.h"
#include "machine_fit.h"
#include "scratch_directory.h"
#include "vm_system.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unistd.h>

namespace tessera::sdf {
namespace {

constexpr int VmTimedOut = 124;
constexpr int VmFailed = 125;
constexpr uint64_t VmHostRoom = 128ull << 20;
// The VMM's first line: what came before it is the system's start, after it the guest's console.
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

bool write_file(const std::string& path, const void* bytes, size_t size)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(bytes), std::streamsize(size));
    return bool(out);
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
        if (verbose_) {
            write_out(STDOUT_FILENO, bytes, size);
            return;
        }
        if (started_) {
            const std::string shown = idle_filter_.feed(bytes, size);
            write_out(STDOUT_FILENO, shown.data(), shown.size());
            return;
        }
        held_.append(bytes, size);
        size_t line_start = 0;
        for (size_t end; (end = held_.find('\n', line_start)) != std::string::npos; line_start = end + 1) {
            if (held_.compare(line_start, sizeof VmmLinePrefix - 1, VmmLinePrefix) == 0) {
                started_ = true;
                const std::string shown =
                    idle_filter_.feed(held_.data() + line_start, held_.size() - line_start);
                write_out(STDOUT_FILENO, shown.data(), shown.size());
                held_.clear();
                return;
            }
        }
    }

    void launcher(const char* bytes, size_t size)
    {
        to_log(bytes, size);
        launcher_text_.append(bytes, size);
        if (verbose_)
            write_out(STDERR_FILENO, bytes, size);
    }

    // The launcher stopped QEMU because the system went idle after its input ended.
    bool stopped_at_idle() const
    {
        return launcher_text_.find("launch: the system is idle") != std::string::npos;
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
    IdleLineFilter idle_filter_;
    std::string held_;
    std::string launcher_text_;
};

} // namespace

bool parse_vm_disks(const std::vector<std::string>& options, std::vector<VmDisk>& disks,
                    std::string& why)
{
    disks.clear();
    if (options.size() > MaxVmDisks) {
        why = "at most " + std::to_string(MaxVmDisks) + " --disk images (the guest's PCI slots 1-" +
              std::to_string(MaxVmDisks) + ")";
        return false;
    }
    for (const std::string& option : options) {
        VmDisk disk;
        const size_t comma = option.find(',');
        disk.image = option.substr(0, comma);
        if (disk.image.empty()) {
            why = "--disk '" + option + "': no image";
            return false;
        }
        if (comma != std::string::npos) {
            const std::string flag = option.substr(comma + 1);
            if (flag != "ro") {
                why = "--disk '" + option + "': unknown flag '" + flag + "' (IMAGE[,ro])";
                return false;
            }
            disk.read_only = true;
        }
        disks.push_back(disk);
    }
    return true;
}

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

std::string IdleLineFilter::feed(const char* bytes, size_t size)
{
    static constexpr std::string_view Lines[] = {"tessera: no runnable thread: idle\r\n",
                                                 "tessera: no runnable thread: idle\n"};
    std::string shown;
    for (size_t i = 0; i < size; i++) {
        const char c = bytes[i];
        if (!line_start_ && pending_.empty()) {
            shown += c;
            line_start_ = c == '\n';
            continue;
        }
        pending_ += c;
        bool prefix = false, whole = false;
        for (const std::string_view line : Lines) {
            prefix = prefix || line.substr(0, pending_.size()) == pending_;
            whole = whole || line == pending_;
        }
        if (whole) {
            pending_.clear();
            line_start_ = true;
        } else if (!prefix) {
            shown += pending_;
            pending_.clear();
            line_start_ = c == '\n';
        }
    }
    return shown;
}

LaunchOptions vm_launch_options(const VmOptions& options, const std::string& image,
                                uint64_t machine_bytes)
{
    LaunchOptions launch;
    launch.launcher = options.launcher;
    launch.kernel = options.kernel;
    launch.root_task = image;
    launch.timeout = options.timeout;
    launch.temporary = image;
    launch.memory = std::to_string(machine_bytes >> 20) + "M";
    for (const auto& disk : options.disks)
        launch.extra.insert(launch.extra.end(), {"--disk", disk});
    std::ostringstream quiet;
    quiet << options.idle_quiet;
    launch.extra.insert(launch.extra.end(), {"--idle-quiet", quiet.str()});
    if (options.icount)
        launch.extra.push_back("--icount");
    return launch;
}

int run_vm(const VmOptions& options)
{
    std::vector<uint8_t> kernel, initrd;
    if (!read_whole_file(options.guest_kernel, kernel))
        return vm_fails("cannot read the guest kernel " + options.guest_kernel);
    if (!options.initrd.empty() && !read_whole_file(options.initrd, initrd))
        return vm_fails("cannot read the initrd " + options.initrd);
    std::vector<VmDisk> disks;
    std::string disk_error;
    if (!parse_vm_disks(options.disks, disks, disk_error))
        return vm_fails(disk_error);
    const uint64_t guest_ram = vm_guest_ram_bytes(options.memory_bytes);
    const std::vector<uint8_t> bundle = make_guest_bundle(kernel, initrd, options.append, guest_ram);

    ScratchDirectory scratch("tessera-vm");
    if (scratch.path().empty())
        return vm_fails("cannot make a temporary directory");
    VmSystemSpec spec;
    spec.guest_ram_bytes = guest_ram;
    spec.bundle_file = "guest.bundle";
    for (const VmDisk& disk : disks)
        spec.disks_read_only.push_back(disk.read_only);
    spec.exit_limit = options.exit_limit;
    const std::string system_path = scratch.path() + "/linux_vm.system";
    const std::string description = linux_vm_system(spec);
    if (!write_file(scratch.path() + "/" + spec.bundle_file, bundle.data(), bundle.size()) ||
        !write_file(system_path, description.data(), description.size()))
        return vm_fails("cannot write into " + scratch.path());

    // Build errors go to standard error as the builder prints them; the summary line it prints
    // is the system's, not the guest's console.
    std::ostringstream errors;
    auto system = make_bootable(system_path, {options.programs, scratch.path()}, options.loader, errors);
    if (!system) {
        std::cerr << errors.str();
        return vm_fails("the system did not build (its programs: " + options.programs + ")");
    }
    // The machine grows with the guest: the loader's own plan says what it needs.
    std::string why;
    const auto fit = fit_machine(system->bytes, system->build.image,
                                 vm_machine_memory(guest_ram, system->bytes.size()), why);
    if (!fit)
        return vm_fails("the loader " + why);
    const uint64_t machine =
        std::max(vm_machine_memory(guest_ram, system->bytes.size()), fit->memory_needed_mib() << 20);
    const std::string path = write_temporary_image("tessera-vm", system->bytes, why);
    if (path.empty())
        return vm_fails(why);

    std::ofstream log;
    if (!options.log.empty()) {
        log.open(options.log, std::ios::binary | std::ios::trunc);
        if (!log) {
            std::remove(path.c_str());
            return vm_fails("cannot write the log " + options.log);
        }
    }

    const LaunchOptions launch = vm_launch_options(options, path, machine);
    OutputSorter sorter(log.is_open() ? &log : nullptr, options.verbose);
    LauncherOutput output;
    output.console = [&](const char* bytes, size_t size) { sorter.console(bytes, size); };
    output.launcher = [&](const char* bytes, size_t size) { sorter.launcher(bytes, size); };
    // Standard input stays the tool's: the launcher relays it to COM1, the guest's console.
    const int status = run_launcher(launch_command(launch), LauncherInput::Inherited, output, why);
    std::remove(path.c_str());
    // The VMM ends the run with status 0 only when the guest powered off (docs/vmm.md); the
    // launcher's stop at idle (also 0) is not that.
    if (status == 0 && !sorter.stopped_at_idle())
        return 0;
    if (status == VmTimedOut) {
        std::cerr << "tessera: vm: timed out: no poweroff after " << options.timeout << " s\n";
        return VmTimedOut;
    }
    sorter.show_held_back();
    if (status < 0)
        return vm_fails(why);
    return vm_fails("the guest or the system stopped (launcher status " + std::to_string(status) +
                    ")");
}

} // namespace tessera::sdf
