// The checker's verdict: either every invariant holds, or the first broken one as a single line
// naming the object, the slot and what is wrong. Later failures are ignored (they usually follow
// from the first).
#pragma once

#include "cap/cap.h"
#include "tcb/tcb.h"

namespace tessera::core {

class InvariantReport {
public:
    static constexpr unsigned LineBytes = 200;

    bool holds() const { return !broken_; }
    bool is_broken() const { return broken_; }
    const char* line() const { return line_; }
    // Records a broken invariant unless one is already recorded.
    void fail(const char* format, ...) __attribute__((format(printf, 2, 3)));

private:
    bool broken_ = false;
    char line_[LineBytes] = "all invariants hold";
};

// Names for the one-line reports.
const char* cap_type_name(CapType type);
const char* thread_state_name(ThreadState state);

} // namespace tessera::core
