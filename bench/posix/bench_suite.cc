// The root task of the POSIX benchmarks: the server with busybox and bench_posix (a musl-gcc
// -static program) in its root runs `bench_posix [SCALE]` and copies its output to the serial
// line unframed, so that its BENCH lines reach bench/bench_lines.py as they are.
#include <sel4/sel4.h>
#include <stdio.h>

#include <tessera/runtime.h>

#include "sel4/platform.h"
#include "server/packed_volume.h"
#include "server/server.h"

using namespace tessera::posix;

extern "C" const uint8_t posix_busybox[], posix_busybox_end[];
extern "C" const uint8_t bench_posix_start[], bench_posix_end[];

namespace {

#ifndef POSIX_BENCH_SCALE
#define POSIX_BENCH_SCALE "1"
#endif

class RawConsole final : public server::Console {
public:
    void write(int, const char* bytes, size_t length) override
    {
        for (size_t i = 0; i < length; ++i)
            seL4_DebugPutChar(bytes[i]);
    }
};

const server::PackedFile files[] = {
    {"/bin/busybox", posix_busybox, size_t(posix_busybox_end - posix_busybox), 0755},
    {"/bin/bench_posix", bench_posix_start, size_t(bench_posix_end - bench_posix_start), 0755},
};

RawConsole console;

} // namespace

int main(void)
{
    sel4::Platform* platform = sel4::start_platform(*tessera_boot_info());
    if (platform == nullptr)
        return 1;
    static const server::FileTable table(files, sizeof files / sizeof files[0]);
    static server::PackedVolume root(table);
    static server::Server server(platform->objects, platform->frames, platform->backend,
                                 platform->endpoint, console, root);
    const char* const arguments[] = {"bench_posix", POSIX_BENCH_SCALE};
    const char* const environment[] = {"PATH=/bin"};
    auto pid = server.spawn("/bin/bench_posix", {arguments, 2}, {environment, 1});
    if (!pid) {
        printf("posix bench: cannot start bench_posix: errno %d\n", int(pid.error()));
        return 1;
    }
    const int32_t status = server.run_until_exit(pid.value());
    return status == 0 ? 0 : 1;
}
