// The debug kernel's rejection log: one console line per refused invocation.
#include "debug/rejection_log.h"
#include "kernel/console.h"

namespace tessera::core {
namespace {

bool enabled = false;

} // namespace

void enable_rejection_log() { enabled = true; }

void report_rejection(const char* thread, Word label, const SyscallError& error)
{
    if (!enabled)
        return;
    char line[192]; // a long thread name and reason fit; a longer line is cut, never overrun
    format_rejection(line, sizeof line, thread, label, error);
    console_start_line();
    kprintf("%s\n", line);
}

} // namespace tessera::core
