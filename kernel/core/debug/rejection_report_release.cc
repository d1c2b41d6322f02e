// The release kernel reports no rejection: the caller gets seL4's error reply and nothing more,
// as from seL4's release build, whose userError prints nothing.
#include "debug/rejection_log.h"

namespace tessera::core {

void report_rejection(const char*, Word, const SyscallError&) {}

void enable_rejection_log() {}

} // namespace tessera::core
