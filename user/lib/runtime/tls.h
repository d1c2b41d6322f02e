// Thread-local storage set-up for a component's initial thread.
#pragma once

#include <stdint.h>

namespace tessera::runtime {

// Room for the initial thread's TLS block and thread control word.
inline constexpr uint64_t InitialTlsAreaSize = 4096;

// Lays out the initial thread's TLS from the program's PT_TLS segment and returns the thread
// pointer to load into FS base, or 0 when the TLS image does not fit InitialTlsAreaSize.
uintptr_t init_initial_thread_tls();

} // namespace tessera::runtime
