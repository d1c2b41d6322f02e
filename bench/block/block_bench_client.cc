// The block benchmarks' client: reads through the block client library, the virtualiser and the
// virtio-blk driver, one request at a time, and times each from submission to answer in TSC
// ticks (instructions under -icount shift=0), less the ticks the soaker (soaker.c) spent meanwhile:
// what is left is the work of this client, the virtualiser, the driver and the kernel, without
// the time the CPU would have halted waiting for the disk. Printed per KiB read
// (bench/stats/bench_line.h):
//   block.read_4k_random_per_kib   4 KiB reads at pseudo-random blocks of the whole disk
//   block.read_1mib_seq_per_kib    1 MiB reads (one request of 256 blocks each), in disk order
#include <microkit.h>
#include <stdio.h>

#include <tessera/blk_client.h>

#include "bench/stats/bench_line.h"
#include "bench/stats/summary.h"
#include "soak.h"

using tessera::bench::BenchLine;
using tessera::bench::Ticks;

#define PATCHED __attribute__((section(".data")))

extern "C" {
PATCHED uintptr_t blk_queue = 0;
PATCHED uint64_t blk_queue_size = 0;
PATCHED uintptr_t blk_data = 0;
PATCHED uint64_t blk_data_size = 0;
PATCHED uintptr_t soak = 0;
// Measured requests of each benchmark (patched lower for the smoke run).
PATCHED char block_bench_iterations[8] = "200";
}

namespace {

constexpr microkit_channel Virtualiser = 0;
constexpr unsigned MaxIterations = 1000;
constexpr unsigned Warmup = 8; // requests of each benchmark not measured
constexpr uint32_t RandomBlocks = 1;
constexpr uint32_t SequentialBlocks = 256; // 1 MiB
constexpr uint64_t KiBPerBlock = TESSERA_BLK_BLOCK_SIZE / 1024;

enum class Phase { Connecting, Random, Sequential, Done };

struct Run {
    tessera_blk_client disk;
    Phase phase = Phase::Connecting;
    unsigned iterations = 0;
    unsigned issued = 0; // requests of this phase, warm-up included
    uint64_t blocks = 0;
    uint64_t next_block = 0;
    uint64_t random = 0x9e3779b97f4a7c15u;
    uint64_t started = 0, soaked_at_start = 0;
    unsigned printed = 0;
    Ticks samples[MaxIterations];
};
Run run;

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

void notify_virtualiser(void*)
{
    microkit_notify(Virtualiser);
}

[[noreturn]] void finish(const char* problem)
{
    if (problem != nullptr)
        printf("block_bench: %s\n", problem);
    else
        printf("%s\n", BenchLine::end(run.printed).text());
    // The run ends here: the soaker never lets the system go idle.
    seL4_DebugHalt();
    for (;;) {
    }
}

uint32_t phase_blocks()
{
    return run.phase == Phase::Random ? RandomBlocks : SequentialBlocks;
}

void submit_next()
{
    uint64_t block;
    if (run.phase == Phase::Random) {
        run.random = run.random * 6364136223846793005u + 1442695040888963407u;
        block = (run.random >> 16) % run.blocks;
    } else {
        if (run.next_block + SequentialBlocks > run.blocks)
            run.next_block = 0;
        block = run.next_block;
        run.next_block += SequentialBlocks;
    }
    const tessera_blk_request request = {TESSERA_BLK_READ, phase_blocks(), block, 0, run.issued, 0};
    run.soaked_at_start = soaked();
    run.started = ticks();
    if (tessera_blk_client_submit(&run.disk, &request) != TESSERA_BLK_CLIENT_OK)
        finish("the request queue is full with nothing outstanding");
    tessera_blk_client_publish(&run.disk);
}

void report(const char* name)
{
    const unsigned count = run.issued - Warmup;
    BenchLine line = BenchLine::result(name, tessera::bench::summarize(run.samples, count));
    printf("%s\n", line.text());
    ++run.printed;
}

void start_phase(Phase phase)
{
    run.phase = phase;
    run.issued = 0;
    submit_next();
}

void answered(const tessera_blk_response& response)
{
    const uint64_t elapsed = ticks() - run.started;
    const uint64_t idle = soaked() - run.soaked_at_start;
    if (response.id != run.issued || response.status != TESSERA_BLK_OK ||
        response.completed != phase_blocks()) {
        printf("block_bench: request %u answered with id %u, status %u, %u blocks\n", run.issued,
               response.id, response.status, response.completed);
        finish("a read failed");
    }
    if (run.issued >= Warmup) {
        const uint64_t busy = elapsed > idle ? elapsed - idle : 0;
        run.samples[run.issued - Warmup] = Ticks{busy / (phase_blocks() * KiBPerBlock)};
    }
    ++run.issued;
    if (run.issued < Warmup + run.iterations) {
        submit_next();
    } else if (run.phase == Phase::Random) {
        report("block.read_4k_random_per_kib");
        start_phase(Phase::Sequential);
    } else {
        report("block.read_1mib_seq_per_kib");
        run.phase = Phase::Done;
        finish(nullptr);
    }
}

void connect()
{
    if (!tessera_blk_client_connect(&run.disk))
        return; // the virtualiser is still reading the partition table
    if (tessera_blk_client_failed(&run.disk)) {
        printf("block_bench: no disk: %s\n", tessera_blk_client_name(&run.disk));
        finish("no disk");
    }
    if (!tessera_blk_client_ready(&run.disk))
        return;
    run.blocks = tessera_blk_client_capacity(&run.disk);
    if (run.blocks < 2 * SequentialBlocks || tessera_blk_client_max_count(&run.disk) < SequentialBlocks ||
        blk_data_size < SequentialBlocks * TESSERA_BLK_BLOCK_SIZE)
        finish("the disk, the data region or the largest request is below 1 MiB");
    printf("block_bench: disk '%s', %llu blocks; %u requests each after %u of warm-up\n",
           tessera_blk_client_name(&run.disk), (unsigned long long)run.blocks, run.iterations, Warmup);
    start_phase(Phase::Random);
}

} // namespace

extern "C" void init(void)
{
    unsigned iterations = 0;
    for (const char* c = block_bench_iterations; *c >= '0' && *c <= '9'; ++c)
        iterations = iterations * 10 + static_cast<unsigned>(*c - '0');
    run.iterations = iterations == 0 || iterations > MaxIterations ? 200 : iterations;
    if (soak == 0 || tessera_blk_client_init(&run.disk, reinterpret_cast<void*>(blk_queue),
                                             tessera_blk_queue_capacity(blk_queue_size),
                                             reinterpret_cast<void*>(blk_data), blk_data_size,
                                             notify_virtualiser, nullptr) != TESSERA_BLK_CLIENT_OK)
        finish("not configured (queue, data region or soak page missing)");
}

extern "C" void notified(microkit_channel ch)
{
    if (ch != Virtualiser)
        return;
    if (run.phase == Phase::Connecting) {
        connect();
        if (run.phase == Phase::Connecting)
            return;
    }
    // Drain, and sleep only once the virtualiser is armed to notify (an answer that came
    // meanwhile is taken first).
    tessera_blk_response response;
    do {
        while (run.phase != Phase::Done && tessera_blk_client_take(&run.disk, &response) == 1)
            answered(response);
        tessera_blk_client_publish(&run.disk);
    } while (!tessera_blk_client_prepare_to_wait(&run.disk));
}
