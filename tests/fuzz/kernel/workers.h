// The fuzzer's worker threads: three threads in the root task's address space, at priorities
// below the control thread and distinct from each other, so their order is fixed and a run
// replays. Each turn, a worker performs a few operations (blocking ones included) on the world
// through its own CSpace, which reaches the world and its start notification only.
#pragma once

#include <sel4/sel4.h>

#include "world.h"

namespace fuzz {

constexpr unsigned WorkerOpsPerTurn = 16;

// Creates the workers (reset_workers starts them); false after printing why.
bool start_workers(Environment& env);

// Points every worker at a new run: restarts each at the top of its loop, which also frees
// one still blocked in the previous world.
void reset_workers(const Environment& env, seL4_Word seed, const Layout& layout);

// One turn of every worker, then back to the control thread; a worker left blocked is
// restarted. Returns the operations the workers performed.
seL4_Word run_worker_turn(const Environment& env, seL4_Word turn);

} // namespace fuzz
