// The architecture's kernel objects as the api host tests see them: an IRQControl capability
// stands for any object only an architecture has, and its methods are chosen by label.
#pragma once

#include <string>
#include <vector>

#include "base/syscall_error.h"

#include "base/types.h"

namespace tessera::core {
struct Tcb;
}

namespace tessera::core::test {

// Labels the stand-in object understands.
inline constexpr Word EchoLabel = 0x100;      // answers its label, length, extra caps, then the words
inline constexpr Word PreemptLabel = 0x101;   // preempted: the call runs again
inline constexpr Word RangeErrorLabel = 0x102; // rejected with RangeError 3..9
inline constexpr Word StopCallerLabel = 0x103; // the method stops its caller (as Suspend on self)

struct ArchObjectCall {
    Word label;
    Word length;
    Word extra_caps;
    Tcb* caller;
};

// Every invoke_arch_object call since the last clear.
std::vector<ArchObjectCall>& arch_object_calls();

// What reached core::report_rejection (the kernel variant's log) since the last clear.
struct ReportedRejection {
    std::string thread;
    Word label;
    seL4_Error code;
    std::string reason;
};
std::vector<ReportedRejection>& reported_rejections();

} // namespace tessera::core::test
