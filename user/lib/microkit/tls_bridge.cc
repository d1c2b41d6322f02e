// The user runtime's TLS set-up (user/lib/runtime/tls.cc), callable from the C runtime.
#include <stdint.h>

#include "tls.h"

extern "C" uint64_t microkit_runtime_init_tls(void)
{
    return tessera::runtime::init_initial_thread_tls();
}
