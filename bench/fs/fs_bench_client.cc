// The file-system benchmarks' client: times whole operations through the client library, as a
// program would use it, in TSC ticks (instructions under -icount shift=0: this client's, the
// service's, the block virtualiser's, the driver's and the kernel's, all counted), less the ticks
// the soaker (bench/block/soaker.c) spent meanwhile: the wait for the disk is not counted, as
// Linux's baseline takes its idle time out. Each NAME also comes as NAME_elapsed, the wait
// included (the soaker's loop ran meanwhile, as Linux's idle loop polls while it waits: Linux's
// own figures find no idle time to take out). Prints BENCH lines (bench/stats/bench_line.h).
//   fs.read_1mib_cold   one 1 MiB file read sequentially in 64 KiB calls, the service's cache
//                       emptied first (tessera_fs_drop_caches, not timed)
//   fs.read_1mib_warm   the same again, from the cache
//   fs.write_1mib       1 MiB written in 64 KiB calls into a file truncated first
//   fs.create_1000      1000 empty files created (open O_CREAT, close) in one directory
//   fs.unlink_1000      and removed
#include <errno.h>
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <tessera/fs_client.h>

#include "bench/block/soak.h"
#include "bench/stats/bench_line.h"
#include "bench/stats/summary.h"

using tessera::bench::BenchLine;
using tessera::bench::Ticks;

extern "C" {
__attribute__((section(".data"))) uintptr_t fs_window = 0;
__attribute__((section(".data"))) size_t fs_window_size = 0;
__attribute__((section(".data"))) uintptr_t soak = 0; // the soaker's page (setvar_vaddr)
// Iterations of each benchmark (patched lower for the smoke run).
__attribute__((section(".data"))) char fs_bench_iterations[8] = "11";
}

namespace {

constexpr size_t MiB = 1u << 20;
constexpr size_t Chunk = 64 * 1024;
constexpr unsigned MaxIterations = 64;
constexpr unsigned Files = 1000;

tessera_fs fs;
uint8_t data[MiB];
unsigned printed = 0;
bool failed = false;

uint64_t ticks()
{
    uint32_t low, high;
    __asm__ volatile("lfence; rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

uint64_t soaked()
{
    return reinterpret_cast<volatile block_bench_soak*>(soak)->soaked;
}

// One benchmark's samples: busy (elapsed less what the soaker took) and elapsed.
struct Samples {
    Ticks busy[MaxIterations];
    Ticks elapsed[MaxIterations];
};

// One timed span, ended by record().
class Span {
public:
    Span() : ticks_(ticks()), soaked_(soaked()) {}
    void record(Samples& samples, unsigned i) const
    {
        const uint64_t elapsed = ticks() - ticks_;
        const uint64_t idle = soaked() - soaked_;
        samples.busy[i] = Ticks{idle < elapsed ? elapsed - idle : 0};
        samples.elapsed[i] = Ticks{elapsed};
    }

private:
    uint64_t ticks_, soaked_;
};

void fail(const char* what)
{
    printf("fs_bench: %s: %s\n", what, strerror(errno));
    failed = true;
}

void report_line(const char* name, Ticks* samples, unsigned count)
{
    BenchLine line = BenchLine::result(name, tessera::bench::summarize(samples, count));
    printf("%s\n", line.text());
    ++printed;
}

// NAME (busy) and NAME_elapsed (the wait for the disk included: the soaker's loop ran then).
void report(const char* name, Samples& samples, unsigned count)
{
    report_line(name, samples.busy, count);
    char elapsed_name[48];
    snprintf(elapsed_name, sizeof elapsed_name, "%s_elapsed", name);
    report_line(elapsed_name, samples.elapsed, count);
}

bool write_file(const char* path)
{
    int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT | TESSERA_FS_O_TRUNC, 0644);
    if (fd < 0)
        return false;
    bool ok = true;
    for (size_t at = 0; ok && at < MiB; at += Chunk)
        ok = tessera_fs_write(&fs, fd, data + at, Chunk) == static_cast<long>(Chunk);
    return tessera_fs_close(&fs, fd) == 0 && ok;
}

bool read_file(const char* path)
{
    int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_RDONLY, 0);
    if (fd < 0)
        return false;
    bool ok = true;
    for (size_t at = 0; ok && at < MiB; at += Chunk)
        ok = tessera_fs_read(&fs, fd, data + at, Chunk) == static_cast<long>(Chunk);
    return tessera_fs_close(&fs, fd) == 0 && ok;
}

void name_of(unsigned i, char* path)
{
    snprintf(path, 32, "/many/file%04u", i);
}

void run(unsigned iterations)
{
    static Samples write, cold, warm, create, unlink;
    for (size_t i = 0; i < MiB; ++i)
        data[i] = static_cast<uint8_t>(i * 7 + i / 4096);
    if (!write_file("/file")) // the first write allocates; the timed ones overwrite
        return fail("write /file");
    if (tessera_fs_mkdir(&fs, "/many", 0755) != 0)
        return fail("mkdir /many");
    for (unsigned i = 0; i < iterations; ++i) {
        Span span;
        if (!write_file("/file"))
            return fail("write /file");
        span.record(write, i);

        if (tessera_fs_drop_caches(&fs) != 0)
            return fail("drop_caches");
        span = Span();
        if (!read_file("/file"))
            return fail("read /file");
        span.record(cold, i);

        span = Span();
        if (!read_file("/file"))
            return fail("read /file");
        span.record(warm, i);

        char path[32];
        span = Span();
        for (unsigned f = 0; f < Files; ++f) {
            name_of(f, path);
            int fd = tessera_fs_open(&fs, path, TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT | TESSERA_FS_O_EXCL, 0644);
            if (fd < 0 || tessera_fs_close(&fs, fd) != 0)
                return fail(path);
        }
        span.record(create, i);
        span = Span();
        for (unsigned f = 0; f < Files; ++f) {
            name_of(f, path);
            if (tessera_fs_unlink(&fs, path) != 0)
                return fail(path);
        }
        span.record(unlink, i);
    }
    report("fs.write_1mib", write, iterations);
    report("fs.read_1mib_cold", cold, iterations);
    report("fs.read_1mib_warm", warm, iterations);
    report("fs.create_1000", create, iterations);
    report("fs.unlink_1000", unlink, iterations);
}

} // namespace

extern "C" void init(void)
{
    unsigned iterations = 0;
    for (const char* c = fs_bench_iterations; *c >= '0' && *c <= '9'; ++c)
        iterations = iterations * 10 + static_cast<unsigned>(*c - '0');
    if (iterations == 0 || iterations > MaxIterations)
        iterations = 11;
    if (soak == 0) {
        errno = ENXIO;
        fail("the soaker's page is not mapped");
    }
    else if (tessera_fs_init_microkit(&fs, 0, reinterpret_cast<void*>(fs_window), fs_window_size) != 0)
        fail("connect");
    else
        run(iterations);
    if (!failed)
        tessera_fs_sync(&fs);
    printf("%s\n", BenchLine::end(printed).text());
    // The run ends here (status 0): the soaker never lets the system go idle.
    seL4_DebugHalt();
}

extern "C" void notified(microkit_channel) {}
