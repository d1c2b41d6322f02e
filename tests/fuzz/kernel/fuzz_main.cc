// The in-system kernel fuzzer (issue 10). For each seed: a fresh world, then batches of control
// operations, each followed by a turn of the workers and the kernel's invariant check. A broken
// invariant is replayed from the seed, pinned to one operation and shrunk by dropping
// operations; the smallest failing sequence is printed. A kernel panic or a fault of this
// thread ends the boot: the seed printed first reproduces it (run one seed with trace on).
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/runtime.h>

#include "operations.h"
#include "workers.h"
#include "world.h"

namespace {

using namespace fuzz;

// Patched into the image by fuzz_config.py (make fuzz-kernel); the defaults are `make test`'s
// short run. Volatile: the compiler must read what the file holds.
struct Config {
    char magic[16];
    seL4_Word start_seed;
    seL4_Word seeds;
    seL4_Word invocations; // per seed, control and worker operations together
    seL4_Word batch;       // control operations between two worker turns and invariant checks
    seL4_Word trace;       // nonzero: print every control operation before performing it
};
__attribute__((used)) volatile Config config = {"TESSERA-FUZZCFG", 1, 3, 12000, 200, 0};

constexpr seL4_Word MaxShrinkOps = 1 << 16;
constexpr unsigned ShrinkRunBudget = 160;

Environment env;
Layout layout;
bool dropped[MaxShrinkOps]; // the shrinker's current candidate: operations left out
bool saved[MaxShrinkOps];   // what a chunk held before the shrinker tried dropping it

struct RunResult {
    // Replies to the control thread's invocations by seL4_Error (0: success); the last counts
    // labels outside seL4_NumErrors.
    seL4_Word replies[seL4_NumErrors + 1] = {};
    bool failed = false;
    seL4_Word failed_at = 0;   // the control operation (or batch end) after which the check failed
    seL4_Word operations = 0;  // control operations performed
    seL4_Word invocations = 0; // all operations, workers' included
};

bool invariants_hold() { return tessera_DebugCheckInvariants() == 0; }

// One run of `seed` from a fresh world: control operations [0, limit) (those not dropped), a
// worker turn after every batch. Checks after every batch, or after every operation.
RunResult run(seL4_Word seed, seL4_Word limit, bool use_dropped, bool check_each, bool stop_at_budget)
{
    RunResult result;
    if (!build_world(env, seed, layout)) {
        result.failed = true;
        return result;
    }
    reset_workers(env, seed, layout);
    const seL4_Word batch = config.batch == 0 ? 1 : config.batch;
    const bool trace = config.trace != 0;
    for (seL4_Word start = 0, turn = 0; start < limit; start += batch, ++turn) {
        for (seL4_Word i = start; i < start + batch && i < limit; ++i) {
            if (use_dropped && i < MaxShrinkOps && dropped[i])
                continue;
            const Operation op = control_operation(seed, i, layout);
            if (trace)
                print_operation(i, op);
            const seL4_Word reply = perform(op, false);
            if (reply != NoReply)
                ++result.replies[reply < seL4_NumErrors ? reply : seL4_Word{seL4_NumErrors}];
            ++result.operations;
            ++result.invocations;
            if (check_each && !invariants_hold()) {
                result.failed = true;
                result.failed_at = i;
                return result;
            }
        }
        result.invocations += run_worker_turn(env, turn);
        if (!invariants_hold()) {
            result.failed = true;
            result.failed_at = start + batch - 1 < limit ? start + batch - 1 : limit - 1;
            return result;
        }
        if (stop_at_budget && result.invocations >= config.invocations)
            break;
    }
    return result;
}

// Replays the failing seed: pins the first operation after which an invariant is broken, then
// drops ever smaller chunks of the operations before it while the failure stays.
void shrink(seL4_Word seed, seL4_Word failed_at)
{
    printf("fuzz: shrinking seed %lu (failed by operation %lu)\n", (unsigned long)seed, (unsigned long)failed_at);
    for (auto& d : dropped)
        d = false;
    RunResult pinned = run(seed, failed_at + 1, false, true, false);
    if (!pinned.failed) {
        printf("fuzz: the failure did not reproduce with a check after every operation\n");
        return;
    }
    const seL4_Word length = pinned.failed_at + 1;
    if (length > MaxShrinkOps) {
        printf("fuzz: first broken after operation %lu; too long to shrink\n", (unsigned long)pinned.failed_at);
        return;
    }
    printf("fuzz: first broken after operation %lu\n", (unsigned long)pinned.failed_at);
    unsigned runs = 0;
    for (seL4_Word chunk = length / 2; chunk >= 1 && runs < ShrinkRunBudget; chunk /= 2) {
        for (seL4_Word from = 0; from < length && runs < ShrinkRunBudget; from += chunk) {
            const seL4_Word to = from + chunk < length ? from + chunk : length;
            bool any = false;
            for (seL4_Word i = from; i < to; ++i)
                any = any || !dropped[i];
            if (!any)
                continue;
            for (seL4_Word i = from; i < to; ++i) {
                saved[i] = dropped[i];
                dropped[i] = true;
            }
            ++runs;
            if (run(seed, length, true, false, false).failed)
                continue; // still fails without them: keep them dropped
            for (seL4_Word i = from; i < to; ++i)
                dropped[i] = saved[i];
        }
    }
    seL4_Word kept = 0;
    for (seL4_Word i = 0; i < length; ++i)
        kept += dropped[i] ? 0 : 1;
    printf("fuzz: smallest failing sequence for seed %lu: %lu of %lu control operations (%u replays), with "
           "the workers' turns after every %lu operation indices:\n",
           (unsigned long)seed, (unsigned long)kept, (unsigned long)length, runs, (unsigned long)config.batch);
    unsigned printed = 0;
    for (seL4_Word i = 0; i < length && printed < 200; ++i) {
        if (dropped[i])
            continue;
        print_operation(i, control_operation(seed, i, layout));
        ++printed;
    }
}

// The checker against live device bookkeeping: an issued I/O port range and IRQ handler, then
// the same after their capabilities are deleted. False (after printing why) on a broken one.
bool device_bookkeeping_holds()
{
    constexpr seL4_Word PostPort = 0x80, Com2Pin = 3, Vector = 7;
    auto* objects = tessera::alloc::process_allocator();
    auto slot = objects->slots().allocate();
    if (!slot) {
        printf("fuzz: no slot for the checker's device test\n");
        return false;
    }
    const seL4_CPtr cap = tessera::libos::raw(slot.value());
    const bool issued_port =
        seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PostPort, PostPort, seL4_CapInitThreadCNode, cap,
                                     seL4_WordBits) == seL4_NoError &&
        invariants_hold() && seL4_CNode_Delete(seL4_CapInitThreadCNode, cap, seL4_WordBits) == seL4_NoError &&
        invariants_hold();
    const bool issued_irq =
        seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, cap, seL4_WordBits, 0, Com2Pin, 0, 0,
                                  Vector) == seL4_NoError &&
        invariants_hold() && seL4_CNode_Delete(seL4_CapInitThreadCNode, cap, seL4_WordBits) == seL4_NoError &&
        invariants_hold();
    if (!issued_port || !issued_irq)
        printf("fuzz: the checker's device test failed (%s)\n", issued_port ? "IRQ handler" : "I/O ports");
    else
        printf("fuzz: invariants hold with an I/O port range and an IRQ handler issued and deleted\n");
    return issued_port && issued_irq;
}

} // namespace

int main(void)
{
    const seL4_Word start = config.start_seed, seeds = config.seeds;
    printf("fuzz: seeds %lu..%lu, %lu invocations each, checks every %lu control operations\n",
           (unsigned long)start, (unsigned long)(start + seeds - 1), (unsigned long)config.invocations,
           (unsigned long)config.batch);
    if (!set_up_environment(env, tessera_boot_info()) || !start_workers(env)) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    if (!invariants_hold() || !device_bookkeeping_holds()) {
        printf("fuzz: invariants broken before fuzzing\n0 passed, 1 failed\n");
        return 1;
    }
    unsigned passed = 0, failed = 0;
    seL4_Word total = 0;
    for (seL4_Word seed = start; seed < start + seeds; ++seed) {
        printf("fuzz: seed %lu\n", (unsigned long)seed);
        const RunResult result = run(seed, ~seL4_Word{0}, false, false, true);
        total += result.invocations;
        if (!result.failed) {
            printf("fuzz: seed %lu: pass (%lu invocations, %lu by the control thread; replies by error:",
                   (unsigned long)seed, (unsigned long)result.invocations, (unsigned long)result.operations);
            for (seL4_Word e = 0; e <= seL4_NumErrors; ++e)
                printf(" %lu", (unsigned long)result.replies[e]);
            printf(")\n");
            ++passed;
            continue;
        }
        printf("fuzz: seed %lu: FAIL: invariant broken by control operation %lu\n", (unsigned long)seed,
               (unsigned long)result.failed_at);
        ++failed;
        shrink(seed, result.failed_at);
        break; // the kernel's state is suspect from here on
    }
    printf("fuzz: %lu invocations in total\n", (unsigned long)total);
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
