// `tessera linux`: patch, boot, decode.
#include "linux_run.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "elf.h"
#include "launch.h"

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
    std::string bytes;
    for (size_t i = start + 3; i + 1 < text.size(); i += 2) {
        const int high = hex_value(text[i]), low = hex_value(text[i + 1]);
        if (high < 0 || low < 0)
            break;
        bytes.push_back(char(high * 16 + low));
    }
    if (on_output && kind >= '0' && kind <= '9')
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

int run_linux(const LinuxOptions& options)
{
    if (!options.root.empty() || !options.disk.empty())
        return cannot_start("linux: --root and --disk need the ext2 root, not served yet; "
                            "without them the default root (busybox) is used");
    std::ifstream in(options.server, std::ios::binary);
    if (!in)
        return cannot_start("linux: cannot read the POSIX server " + options.server);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    std::string why;
    auto elf = ElfImage::parse(std::move(bytes), why);
    const std::vector<uint8_t> packed = pack_linux_command(options.command, CommandCapacity);
    if (packed.empty())
        return cannot_start("linux: the command line is longer than 4095 bytes");
    if (!elf || !elf->patch_bytes(CommandSymbol, packed, why))
        return cannot_start("linux: " + options.server + " " + why);
    LinuxStreams streams;
    if (!gather_linux_streams(0, 1, 2, InputCapacity, streams, why))
        return cannot_start("linux: " + why);
    const uint64_t input_size = streams.input_is_console ? ~uint64_t(0) : streams.input.size();
    if (!elf->patch(TerminalsSymbol, streams.terminals, 1, why) ||
        !elf->patch(InputSizeSymbol, input_size, 8, why) ||
        (!streams.input.empty() && !elf->patch_bytes(InputSymbol, streams.input, why)))
        return cannot_start("linux: " + options.server + " " + why);

    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp ? tmp : "/tmp") + "/tessera-linux-XXXXXX";
    const int file = mkstemp(path.data());
    if (file < 0)
        return cannot_start("linux: cannot make a temporary file in " + path);
    const auto& image = elf->bytes();
    write_all(file, std::string(image.begin(), image.end()));
    close(file);

    LaunchOptions launch;
    launch.launcher = options.launcher;
    launch.kernel = options.kernel;
    launch.root_task = path;
    launch.timeout = options.timeout;
    launch.memory = options.memory;
    launch.temporary = path;
    launch.extra = {"--input", "none"};
    const std::vector<std::string> command = launch_command(launch);

    int channel[2];
    if (pipe(channel) != 0)
        return cannot_start("linux: cannot make a pipe");
    const pid_t child = fork();
    if (child < 0)
        return cannot_start("linux: cannot start the launcher");
    if (child == 0) {
        dup2(channel[1], 1);
        dup2(channel[1], 2);
        close(channel[0]);
        close(channel[1]);
        const int nothing = open("/dev/null", O_RDONLY);
        dup2(nothing, 0);
        std::vector<char*> argv;
        for (const auto& word : command)
            argv.push_back(const_cast<char*>(word.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(channel[1]);

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
    char buffer[65536];
    for (;;) {
        const ssize_t n = read(channel[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        decoder.feed(buffer, size_t(n));
    }
    decoder.finish();
    close(channel[0]);
    int launcher_status = 0;
    waitpid(child, &launcher_status, 0);
    std::remove(path.c_str());
    if (status >= 0)
        return status;
    const int code = WIFEXITED(launcher_status) ? WEXITSTATUS(launcher_status) : CannotStart;
    if (code == TimedOut)
        return TimedOut;
    std::string last = tail.empty() ? std::string("no output") : tail.back();
    return cannot_start("linux: the system stopped without the command's status (launcher status " +
                        std::to_string(code) + "): " + last);
}

} // namespace tessera::sdf
