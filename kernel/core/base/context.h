// The one context every core operation receives instead of globals (STYLE rule 10): how to reach
// memory, who finalises objects, and when a long operation must yield. Two contexts can live in
// one test, so two kernels can too.
#pragma once

#include "base/memory_window.h"

namespace tessera::core {

class ObjectHooks;

// Asked between units of work by long operations (revoke, delete, untyped reset).
class Preemption {
public:
    // True when an interrupt is pending and the operation should stop and be restarted.
    virtual bool is_pending() = 0;

protected:
    ~Preemption() = default;
};

// The outcome of a long operation: finished, or stopped at a preemption point after making
// progress that is recorded in the objects; the caller restarts the invocation from the top.
enum class Progress { Done, Preempted };

struct CoreContext {
    MemoryWindow window;
    ObjectHooks& hooks;
    Preemption& preemption;
};

} // namespace tessera::core
