// The user runtime's TLS set-up (user/lib/runtime/tls.cc), callable from the C runtime.
#include <stdint.h>

#include "tls.h"

extern "C" uintptr_t tessera_runtime_init_initial_thread_tls(void)
{
    return tessera::runtime::init_initial_thread_tls();
}
