// `tessera linux`: boots Tessera with the POSIX server and runs one Linux command in it: on the
// packed busybox root the server is the root task; on a disk (--disk, --root) it is a protection
// domain of a system with the ext2 service on QEMU's virtio-blk disk (linux_system.h). The server
// (user/services/posix/main.cc) reads the command from its symbol tessera_posix_command, which
// this tool patches in a copy; the program's output comes back framed on the serial line
// (user/services/posix/sel4/serial_console.h) and is decoded here.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::sdf {

// Splits the serial stream: framed lines are the program's output (per descriptor) or its exit
// status; everything else is the system's own log.
class LinuxFrameDecoder {
public:
    std::function<void(int fd, const std::string& bytes)> on_output;
    std::function<void(const std::string& line)> on_log;
    std::function<void(int status)> on_exit;

    void feed(const char* data, size_t length);
    // The last line, if it did not end in a newline.
    void finish();

private:
    void line(std::string text);
    std::string pending_;
};

// The command's arguments in the server's format: NUL-separated, ending in an empty argument.
// Empty when they do not fit in `capacity` bytes.
std::vector<uint8_t> pack_linux_command(const std::vector<std::string>& command, size_t capacity);

// What the command gets as descriptors 0-2: bit n of `terminals` when the tool's descriptor n is
// a terminal; standard input is the console when the tool's is a terminal, else every byte of
// the tool's standard input, read to its end before the system starts (the server has no input
// line yet: a pipe's writer must close it).
struct LinuxStreams {
    uint8_t terminals = 0;
    bool input_is_console = false;
    std::vector<uint8_t> input;
};

// Reads them from descriptors `input`, `output` and `error`. False, with `why`, when standard
// input holds more than `capacity` bytes or cannot be read.
bool gather_linux_streams(int input, int output, int error, size_t capacity, LinuxStreams& streams,
                          std::string& why);

// The size of the ext2 volume `--root DIR` makes for `used_bytes` of files: room to write as
// much again and 2 MiB more, at least 4 MiB, in whole MiB.
uint64_t linux_root_volume_bytes(uint64_t used_bytes);

struct LinuxOptions {
    std::string launcher;
    std::string kernel;
    std::string server; // posix_server.elf: the root task that runs on the packed root
    std::string loader;   // the loader ELF, for the system a disk root boots
    std::string programs; // posix_server_pd.elf and the block half's programs (build/systems/posix)
    std::string root;   // --root DIR: made into a temporary ext2 image, changes dropped
    std::string disk;   // --disk IMAGE: an ext2 image on QEMU's virtio-blk, changes kept
    std::string memory;
    std::string log;    // --log FILE
    double timeout = 0;
    bool verbose = false;
    std::vector<std::string> command;
};

// Runs it; the command's exit status, 124 on timeout, 125 when the system cannot start.
int run_linux(const LinuxOptions& options);

} // namespace tessera::sdf
