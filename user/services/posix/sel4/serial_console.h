// The programs' standard output and error on the serial line, framed so that the host tool
// (`tessera linux`) can tell them from the kernel's and the components' own lines and give each
// byte back unchanged: one line per chunk, "\x1e" then the descriptor's digit, a space and the
// bytes in hexadecimal (a serial path may add carriage returns to raw text; it leaves these
// alone); the command's end is "\x1e" "X" and its status in decimal. docs/posix.md, "The command".
#pragma once

#include <stdint.h>

#include "server/server.h"

namespace tessera::posix::sel4 {

class SerialConsole final : public server::Console {
public:
    void write(int fd, const char* bytes, size_t length) override;
    // The line that ends the run: the command's exit status, 0-255 (128 + N for signal N).
    static void finish(int status);
};

} // namespace tessera::posix::sel4
