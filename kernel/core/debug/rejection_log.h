// The debug kernel's line for a refused invocation: which thread, which method (named from the
// invocation table), which seL4 error and the kernel's reason. The release kernel prints nothing;
// the variant's rejection_report_*.cc decides (docs/decisions.md 25).
#pragma once

#include <stddef.h>

#include "base/syscall_error.h"
#include "base/types.h"

namespace tessera::core {

// The method an invocation label names in the invocation table (seL4_TCB_Configure, ...), or
// "an unknown method" for a label no interface has.
const char* method_name(Word label);

// seL4's name of an error code (seL4_InvalidArgument, ...).
const char* error_name(seL4_Error code);

// Writes, NUL-terminated and cut to `size`:
//   tessera: rejected <method> (label <n>) from thread '<thread>': <error>, <reason>
// Returns the length the whole line needs (as snprintf does), without the NUL.
size_t format_rejection(char* out, size_t size, const char* thread, Word label, const SyscallError& error);

// Called once per invocation the kernel refuses. The debug kernel prints format_rejection's
// line on its console; the release kernel's definition does nothing.
void report_rejection(const char* thread, Word label, const SyscallError& error);

// Turns the debug kernel's log on (the boot option `log_rejections`). Off by default: refusals are
// part of normal operation (a loader maps a page, is told a paging structure is missing, makes
// one and maps again), and their lines would mix with every system's console output. Nothing to
// turn on in the release kernel.
void enable_rejection_log();

} // namespace tessera::core
