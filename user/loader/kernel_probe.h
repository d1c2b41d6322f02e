// What the kernel under the loader answers beyond seL4's base API: seL4's debug system calls
// (printing, naming threads, identifying capabilities) exist in Tessera's kernel and in seL4's
// debug build, not in seL4's release build, where calling one faults the caller. The loader asks
// once, before it prints anything, so that it runs unmodified on every kernel.
#pragma once

#include <tessera/alloc/object_allocator.h>

namespace tessera::loader {

enum class DebugCalls : uint8_t { Present, Absent };

// Starts a short-lived thread of the loader's own (its address space and CSpace) whose fault
// endpoint the loader waits on: the thread makes one debug call, then faults on purpose. The
// fault that arrives says whether the call was known (UserException) or not (UnknownSyscall).
// The thread and its endpoint are destroyed and their memory given back before this returns.
// Errors are the kernel's refusals to create or start the thread.
libos::Result<DebugCalls> probe_debug_calls(alloc::ObjectAllocator& objects);

} // namespace tessera::loader
