// `tessera linux`: patch, boot, decode.
#include "linux_run.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "bootable.h"
#include "elf.h"
#include "launch.h"
#include "linux_system.h"
#include "scratch_directory.h"

namespace tessera::sdf {

namespace {

constexpr char FrameStart = 0x1e;
constexpr const char* CommandSymbol = "tessera_posix_command";
constexpr size_t CommandCapacity = 4096;
// The server's symbols for the standard streams (user/services/posix/main.cc).
constexpr const char* TerminalsSymbol = "tessera_posix_terminals";
constexpr const char* InputSizeSymbol = "tessera_posix_input_size";
constexpr const char* InputSymbol = "tessera_posix_input";
constexpr size_t InputCapacity = 1 << 20;
constexpr int CannotStart = 125;
constexpr int TimedOut = 124;

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// The bytes written in hexadecimal from `from` on: false at a bad digit (the bytes before it kept).
bool decode_hex(const std::string& text, size_t from, std::string& bytes)
{
    for (size_t i = from; i < text.size(); i += 2) {
        const int high = hex_value(text[i]), low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (high < 0 || low < 0)
            return false;
        bytes.push_back(char(high * 16 + low));
    }
    return true;
}

void write_all(int fd, const std::string& bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
            return;
        done += size_t(n);
    }
}

int cannot_start(const std::string& why)
{
    std::cerr << "tessera: " << why << "\n";
    return CannotStart;
}

} // namespace

void LinuxFrameDecoder::feed(const char* data, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (data[i] == '\n') {
            line(std::move(pending_));
            pending_.clear();
        } else {
            pending_.push_back(data[i]);
        }
    }
}

void LinuxFrameDecoder::finish()
{
    if (!pending_.empty())
        line(std::move(pending_));
    pending_.clear();
}

void LinuxFrameDecoder::line(std::string text)
{
    // The serial path may end lines with "\r\n".
    if (!text.empty() && text.back() == '\r')
        text.pop_back();
    const size_t start = text.find(FrameStart);
    if (start == std::string::npos || start + 1 >= text.size()) {
        if (on_log)
            on_log(text);
        return;
    }
    const char kind = text[start + 1];
    if (kind == 'X') {
        const int status = std::atoi(text.c_str() + start + 2);
        if (on_exit)
            on_exit(status);
        return;
    }
    if (kind < '0' || kind > '9') {
        if (on_log)
            on_log(text);
        return;
    }
    std::string bytes;
    decode_hex(text, start + 3, bytes);
    if (on_output)
        on_output(kind - '0', bytes);
}

std::vector<uint8_t> pack_linux_command(const std::vector<std::string>& command, size_t capacity)
{
    std::vector<uint8_t> packed;
    for (const std::string& word : command) {
        packed.insert(packed.end(), word.begin(), word.end());
        packed.push_back(0);
    }
    packed.push_back(0);
    if (packed.size() > capacity || command.empty())
        return {};
    return packed;
}

bool gather_linux_streams(int input, int output, int error, size_t capacity, LinuxStreams& streams,
                          std::string& why)
{
    streams = LinuxStreams{};
    const int fds[3] = {input, output, error};
    for (int n = 0; n < 3; ++n)
        streams.terminals |= uint8_t(isatty(fds[n]) ? 1 << n : 0);
    streams.input_is_console = (streams.terminals & 1) != 0;
    if (streams.input_is_console)
        return true;
    char chunk[65536];
    for (;;) {
        const ssize_t n = read(input, chunk, sizeof chunk);
        if (n == 0)
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            // A closed descriptor 0 is no input at all, as for a program given <&-.
            if (errno == EBADF)
                return true;
            why = std::string("cannot read standard input: ") + std::strerror(errno);
            return false;
        }
        if (streams.input.size() + size_t(n) > capacity) {
            why = "standard input is longer than " + std::to_string(capacity) + " bytes";
            return false;
        }
        streams.input.insert(streams.input.end(), chunk, chunk + n);
    }
}

uint64_t linux_root_volume_bytes(uint64_t used_bytes)
{
    constexpr uint64_t mib = 1ull << 20;
    // Room for what the command writes; a larger volume only costs mke2fs's time and the host's
    // disk (the volume is QEMU's virtio-blk disk, of any size).
    const uint64_t wanted = std::max<uint64_t>(2 * used_bytes + 2 * mib, 4 * mib);
    return (wanted + mib - 1) / mib * mib;
}

namespace {

uint64_t tree_bytes = 0;
int count_bytes(const char*, const struct stat* info, int, struct FTW*)
{
    tree_bytes += uint64_t(info->st_blocks) * 512;
    return 0;
}

// `--root DIR`: an ext2 image of DIR in a temporary file (its path), or empty with `why`.
std::string make_root_image(const std::string& directory, std::string& why)
{
    struct stat info;
    if (stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        why = "--root " + directory + " is not a directory";
        return {};
    }
    tree_bytes = 0;
    if (nftw(directory.c_str(), count_bytes, 32, FTW_PHYS) != 0) {
        why = "cannot read the tree " + directory;
        return {};
    }
    std::string path = write_temporary_image("tessera-linux-root", {}, why);
    if (path.empty())
        return {};
    const uint64_t kib = linux_root_volume_bytes(tree_bytes) >> 10;
    std::string messages;
    LauncherOutput output;
    output.console = [&](const char* bytes, size_t size) { messages.append(bytes, size); };
    output.launcher = output.console;
    const int status = run_launcher({"mke2fs", "-q", "-F", "-t", "ext2", "-d", directory, path,
                                     std::to_string(kib) + "k"},
                                    LauncherInput::Nothing, output, why);
    if (status != 0) {
        why = "mke2fs -d " + directory + " failed" +
              (status < 0 ? ": " + why : " (status " + std::to_string(status) + "): " + messages);
        std::remove(path.c_str());
        return {};
    }
    return path;
}

} // namespace

namespace {

constexpr const char* ServerPdProgram = "posix_server_pd.elf";

// `--disk` / `--root`: the server as a protection domain beside the ext2 service on the disk
// (linux_system.h), built into an image in a scratch directory with the patched server; the
// image's path, or empty with `why` (the builder's errors on standard error).
std::string build_disk_system(const LinuxOptions& options, const ElfImage& server,
                              const ScratchDirectory& scratch, std::string& why)
{
    const std::string system_path = scratch.path() + "/linux.system";
    LinuxSystemSpec spec;
    spec.server_program = ServerPdProgram;
    const std::string description = linux_disk_system(spec);
    std::ostringstream errors;
    if (!write_bytes(scratch.path() + "/" + ServerPdProgram, server.bytes(), errors) ||
        !write_bytes(system_path, std::vector<uint8_t>(description.begin(), description.end()), errors)) {
        why = errors.str();
        return {};
    }
    // The scratch directory first: its patched server, not the build's, is the one packed.
    auto system = make_bootable(system_path, {scratch.path(), options.programs}, options.loader, errors);
    if (!system) {
        std::cerr << errors.str();
        why = "the system of the server and the ext2 service did not build (its programs: " +
              options.programs + ")";
        return {};
    }
    return write_temporary_image("tessera-linux", system->bytes, why);
}

} // namespace

int run_linux(const LinuxOptions& options)
{
    if (!options.root.empty() && !options.disk.empty())
        return cannot_start("linux: --root and --disk are two roots: give one");
    std::string why;
    // The disk: --disk's image, or --root's tree made into a temporary one.
    std::string disk_path = options.disk, temporary_disk;
    if (!options.root.empty()) {
        temporary_disk = disk_path = make_root_image(options.root, why);
        if (disk_path.empty())
            return cannot_start("linux: " + why);
    }
    struct TemporaryDisk {
        std::string path;
        ~TemporaryDisk()
        {
            if (!path.empty())
                std::remove(path.c_str());
        }
    } temporary{temporary_disk};
    if (!disk_path.empty()) {
        // Refused before the boot: QEMU would only stop the system without a disk to serve.
        struct stat info;
        if (access(disk_path.c_str(), R_OK | W_OK) != 0)
            return cannot_start("linux: cannot open the disk " + disk_path + ": " + std::strerror(errno));
        if (stat(disk_path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_size == 0)
            return cannot_start("linux: the disk " + disk_path + " is empty or not a file");
    }
    // The packed root: the server as seL4's root task; a disk: the server as a PD of a system.
    const std::string server_path =
        disk_path.empty() ? options.server : options.programs + "/" + ServerPdProgram;
    std::ifstream in(server_path, std::ios::binary);
    if (!in)
        return cannot_start("linux: cannot read the POSIX server " + server_path);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    auto elf = ElfImage::parse(std::move(bytes), why);
    const std::vector<uint8_t> packed = pack_linux_command(options.command, CommandCapacity);
    if (packed.empty())
        return cannot_start("linux: the command line is longer than 4095 bytes");
    if (!elf || !elf->patch_bytes(CommandSymbol, packed, why))
        return cannot_start("linux: " + server_path + " " + why);
    LinuxStreams streams;
    if (!gather_linux_streams(0, 1, 2, InputCapacity, streams, why))
        return cannot_start("linux: " + why);
    const uint64_t input_size = streams.input_is_console ? ~uint64_t(0) : streams.input.size();
    if (!elf->patch(TerminalsSymbol, streams.terminals, 1, why) ||
        !elf->patch(InputSizeSymbol, input_size, 8, why) ||
        (!streams.input.empty() && !elf->patch_bytes(InputSymbol, streams.input, why)))
        return cannot_start("linux: " + server_path + " " + why);

    ScratchDirectory scratch("tessera-linux");
    std::string path;
    if (disk_path.empty()) {
        path = write_temporary_image("tessera-linux", elf->bytes(), why);
    } else {
        if (scratch.path().empty())
            return cannot_start("linux: cannot make a temporary directory");
        path = build_disk_system(options, *elf, scratch, why);
    }
    if (path.empty())
        return cannot_start("linux: " + why);

    LaunchOptions launch;
    launch.launcher = options.launcher;
    launch.kernel = options.kernel;
    launch.root_task = path;
    launch.timeout = options.timeout;
    launch.memory = options.memory;
    launch.temporary = path;
    launch.extra = {"--input", "none"};
    // The disk is QEMU's first virtio-blk device, which the system's driver serves; the ext2
    // service writes every change to it before it answers, so whatever stops the run, the image
    // holds every call that returned (docs/posix.md, "Durability").
    if (!disk_path.empty())
        launch.extra.insert(launch.extra.end(), {"--disk", disk_path});

    std::ofstream log_file;
    if (!options.log.empty())
        log_file.open(options.log, std::ios::binary);
    std::vector<std::string> tail; // the last log lines, for a crash report
    int status = -1;
    LinuxFrameDecoder decoder;
    decoder.on_output = [](int fd, const std::string& data) { write_all(fd == 2 ? 2 : 1, data); };
    decoder.on_exit = [&](int s) { status = s; };
    decoder.on_log = [&](const std::string& line) {
        if (log_file)
            log_file << line << "\n";
        if (options.verbose)
            write_all(2, line + "\n");
        tail.push_back(line);
        if (tail.size() > 5)
            tail.erase(tail.begin());
    };
    // The launcher's own lines are log lines too; a decoder of their own keeps them from
    // splitting a console frame.
    LinuxFrameDecoder launcher_lines;
    launcher_lines.on_log = decoder.on_log;
    LauncherOutput output;
    output.console = [&](const char* bytes, size_t size) { decoder.feed(bytes, size); };
    output.launcher = [&](const char* bytes, size_t size) { launcher_lines.feed(bytes, size); };
    const int code = run_launcher(launch_command(launch), LauncherInput::Nothing, output, why);
    decoder.finish();
    launcher_lines.finish();
    std::remove(path.c_str());
    if (status >= 0)
        return status;
    if (code < 0)
        return cannot_start("linux: " + why);
    if (code == TimedOut)
        return TimedOut;
    std::string last = tail.empty() ? std::string("no output") : tail.back();
    return cannot_start("linux: the system stopped without the command's status (launcher status " +
                        std::to_string(code) + "): " + last);
}

} // namespace tessera::sdf
