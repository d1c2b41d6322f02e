// The initial thread's TLS, in a static area: the program's template laid out below the thread
// pointer (user/lib/runtime/tls_layout.cc).
#include "tls.h"

#include <tessera/runtime/tls.h>

namespace tessera::runtime {
namespace {

alignas(64) unsigned char initial_tls_area[InitialTlsAreaSize];

} // namespace

uintptr_t init_initial_thread_tls()
{
    return tls_layout(program_tls_image(), initial_tls_area, sizeof(initial_tls_area));
}

} // namespace tessera::runtime
