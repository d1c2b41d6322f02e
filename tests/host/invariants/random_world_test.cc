// The checker over seeded random sequences of real kernel operations: capability operations and
// retypes on a core world, IPC between threads on an IPC world. Every state the core reaches must
// pass; a failure prints the seed, the step and the checker's line.

#include <gtest/gtest.h>

#include <random>

#include "core_world.h"
#include "invariant_test_support.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

constexpr Word FirstSlot = 3;
constexpr Word LastSlot = 40;

class Dice {
public:
    explicit Dice(uint64_t seed) : rng_(seed) {}
    Word below(Word n) { return std::uniform_int_distribution<Word>(0, n - 1)(rng_); }

private:
    std::mt19937_64 rng_;
};

void random_cap_operation(CoreWorld& w, Dice& dice)
{
    static constexpr Word Types[][2] = {
        {seL4_EndpointObject, 0}, {seL4_NotificationObject, 0}, {seL4_CapTableObject, 2},
        {seL4_TCBObject, 0},      {seL4_UntypedObject, 12},     {seL4_X86_4K, 0},
    };
    auto slot = [&] { return FirstSlot + dice.below(LastSlot - FirstSlot + 1); };
    // Drawn one per statement: argument evaluation order differs between compilers.
    Word operation = dice.below(7);
    Word dest = slot();
    Word source = slot();
    switch (operation) {
    case 0:
    case 1: {
        const Word* type = Types[dice.below(std::size(Types))];
        Word count = 1 + dice.below(3);
        // The kernel dispatches on the capability's kind before the untyped code runs.
        if (w.slot(source).cap.type() == CapType::Untyped)
            (void)w.retype(type[0], type[1], dest, count, source);
        break;
    }
    case 2:
        (void)w.copy(dest, source);
        break;
    case 3: {
        Word badge = dice.below(4);
        (void)w.mint(dest, source, CapRights::all(), badge);
        break;
    }
    case 4:
        (void)w.move(dest, source);
        break;
    case 5:
        (void)w.remove(dest);
        break;
    default:
        (void)w.revoke(dest);
        break;
    }
}

TEST(InvariantsRandomWorld, CapabilityOperationsKeepEveryInvariant)
{
    Checker checker;
    CpuState cpu;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        CoreWorld w(16);
        Dice dice(seed);
        for (int step = 0; step < 300; ++step) {
            random_cap_operation(w, dice);
            InvariantReport report = checker.run(w.ctx, w.root(), cpu);
            ASSERT_TRUE(report.holds())
                << "seed " << seed << " step " << step << ": " << report.line();
        }
    }
}

void random_ipc_operation(IpcWorld& w, Tcb* const* threads, size_t count, EndpointCap ep,
                          NotificationCap ntfn, Dice& dice)
{
    Tcb& actor = *threads[dice.below(count)];
    if (!actor.is_runnable())
        return; // only a running thread makes system calls
    // As the kernel's schedule() would, the thread it replaces goes back to its queue.
    Tcb* previous = w.scheduler.cpu().current;
    if (previous != &actor && previous->is_runnable() && !previous->thread.in_ready_queue)
        w.scheduler.queues(Domain{}).append(*previous);
    w.make_current(actor);
    switch (dice.below(6)) {
    case 0:
        send_ipc(w.ctx, actor, ep, dice.below(2) ? Blocking::Yes : Blocking::No, IsCall::No);
        break;
    case 1:
        call(w.ctx, actor, ep);
        break;
    case 2:
        recv(w.ctx, actor, ep, dice.below(2) ? Blocking::Yes : Blocking::No);
        break;
    case 3:
        reply(w.ctx, actor);
        break;
    case 4:
        send_signal(w.ctx, w.object(ntfn), Badge{1 + dice.below(8)});
        break;
    default:
        receive_signal(w.ctx, actor, w.object(ntfn), dice.below(2) ? Blocking::Yes : Blocking::No);
        break;
    }
    w.scheduler.schedule();
}

TEST(InvariantsRandomWorld, IpcBetweenThreadsKeepsEveryThreadOnItsQueue)
{
    Checker checker;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        IpcWorld w;
        Tcb* threads[6];
        for (size_t i = 0; i < std::size(threads); ++i) {
            threads[i] = &w.thread(10 + static_cast<unsigned>(i % 3));
            insert_root_cap(w.root_slot(20 + i),
                            TcbCap::make(w.core.window.physical(threads[i])).cap());
        }
        EndpointCap ep = w.endpoint(5);
        NotificationCap ntfn = w.notification(6);
        Dice dice(seed);
        for (int step = 0; step < 300; ++step) {
            random_ipc_operation(w, threads, std::size(threads), ep, ntfn, dice);
            InvariantReport report = checker.run(w.core, w.root(), w.scheduler.cpu());
            ASSERT_TRUE(report.holds())
                << "seed " << seed << " step " << step << ": " << report.line();
        }
    }
}

} // namespace
} // namespace tessera::core::test
