// Everything an IPC operation needs, passed as one reference instead of globals (STYLE rule 10):
// the capability core's context, the arch register interface, this CPU's scheduler and the sink
// for one-line fault reports.
#pragma once

#include "base/context.h"
#include "base/types.h"

namespace tessera::core {

class ArchThread;
class Scheduler;
struct Tcb;

// Receives the one line the kernel prints when a thread faults with no handler.
class FaultReporter {
public:
    virtual void report(Tcb& tcb, const char* line) = 0;

protected:
    ~FaultReporter() = default;
};

struct IpcContext {
    CoreContext& core;
    ArchThread& arch;
    Scheduler& scheduler;
    FaultReporter& reporter;
};

} // namespace tessera::core
