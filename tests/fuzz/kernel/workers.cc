// Workers are made with the thread library; the control thread restarts one by suspending it
// and rewriting its instruction and stack pointers, keeping its TLS base (the IPC buffer).
#include "workers.h"

#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/thread/thread.h>
#include <tessera/vspace.h>

#include "operations.h"

namespace fuzz {
namespace {

using tessera::libos::raw;

constexpr seL4_Word ControlPriority = seL4_MaxPrio;
constexpr seL4_Word LowestPriority = 0; // the world's threads run only while the control thread waits here
constexpr seL4_Word WorkerPriority = 100;
constexpr seL4_CPtr StartNotification = 0; // slot 0 of a worker's CSpace

struct Worker {
    tessera::thread::Thread thread;
    unsigned index;
    seL4_Word seed;
    const Layout* layout;
    volatile seL4_Word turn;
    volatile seL4_Word finished_turn;
    volatile seL4_Word operations;
};

Worker workers[WorkerCount];

[[noreturn]] void worker_loop(Worker* self)
{
    // The thread library's start-up is skipped (workers start here): install the IPC buffer.
    seL4_SetIPCBuffer(reinterpret_cast<seL4_IPCBuffer*>(self->thread.ipc_buffer().raw()));
    for (;;) {
        seL4_Wait(StartNotification, nullptr);
        const seL4_Word turn = self->turn;
        for (seL4_Word i = 0; i < WorkerOpsPerTurn; ++i) {
            (void)perform(worker_operation(self->seed, self->index, turn, i, *self->layout), true);
            self->operations = self->operations + 1;
        }
        self->finished_turn = turn;
    }
}

// Suspends the worker (leaving whatever it was blocked on) and resumes it at the top of its loop.
void restart(Worker& worker)
{
    const seL4_CPtr tcb = raw(worker.thread.tcb());
    seL4_UserContext regs;
    if (seL4_TCB_ReadRegisters(tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs) != seL4_NoError) {
        printf("fuzz: cannot read worker %u's registers\n", worker.index);
        return;
    }
    regs.rip = reinterpret_cast<seL4_Word>(&worker_loop);
    regs.rsp = (worker.thread.stack_top().raw() & ~seL4_Word{15}) - sizeof(seL4_Word); // as after a call
    regs.rdi = reinterpret_cast<seL4_Word>(&worker);
    if (seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs) != seL4_NoError)
        printf("fuzz: cannot restart worker %u\n", worker.index);
}

} // namespace

bool start_workers(Environment& env)
{
    auto* objects = tessera::alloc::process_allocator();
    auto* vspace = tessera::vspace::process_vspace();
    for (unsigned w = 0; w < WorkerCount; ++w) {
        Worker& worker = workers[w];
        worker.index = w;
        tessera::thread::ThreadConfig config;
        config.priority = WorkerPriority - w;
        auto created = worker.thread.create(*objects, *vspace, config);
        if (!created) {
            printf("fuzz: worker %u not created\n", w);
            return false;
        }
        env.worker_tcb[w] = raw(worker.thread.tcb());
    }
    return true;
}

void reset_workers(const Environment& env, seL4_Word seed, const Layout& layout)
{
    (void)env;
    for (Worker& worker : workers) {
        worker.seed = seed;
        worker.layout = &layout;
        worker.turn = 0;
        worker.finished_turn = ~seL4_Word{0};
        restart(worker);
    }
}

seL4_Word run_worker_turn(const Environment& env, seL4_Word turn)
{
    seL4_Word before = 0;
    for (unsigned w = 0; w < WorkerCount; ++w) {
        before += workers[w].operations;
        workers[w].turn = turn;
        seL4_Signal(env.worker_go[w]);
    }
    // Below every worker and level with the world's own threads: they all run until they
    // block, then the control thread goes on.
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, LowestPriority);
    seL4_Yield();
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ControlPriority);
    seL4_Word after = 0;
    for (Worker& worker : workers) {
        after += worker.operations;
        if (worker.finished_turn != turn)
            restart(worker);
    }
    return after - before;
}

} // namespace fuzz
