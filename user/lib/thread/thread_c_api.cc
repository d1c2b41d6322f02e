// <tessera/thread.h>: the C thread handle holds a tessera::thread::Thread in place.
#include <tessera/alloc.h>
#include <tessera/thread.h>
#include <tessera/thread/thread.h>
#include <tessera/vspace.h>

#include <new>

using namespace tessera;
using thread::Thread;

static_assert(sizeof(Thread) <= sizeof(tessera_thread_t::opaque), "tessera_thread_t too small");
static_assert(alignof(Thread) <= 8, "tessera_thread_t alignment too small");

namespace {

Thread* of(tessera_thread_t* handle)
{
    return std::launder(reinterpret_cast<Thread*>(handle->opaque));
}

} // namespace

extern "C" seL4_Error tessera_thread_create(tessera_thread_t* handle, seL4_Word stack_pages,
                                            seL4_Word priority, seL4_CPtr fault_ep)
{
    if (!handle || !alloc::process_allocator() || !vspace::process_vspace())
        return seL4_IllegalOperation;
    Thread* t = new (handle->opaque) Thread;
    thread::ThreadConfig config;
    config.stack_pages = stack_pages;
    config.priority = priority;
    config.fault_endpoint = libos::CPtr{fault_ep};
    return t->create(*alloc::process_allocator(), *vspace::process_vspace(), config).code();
}

extern "C" seL4_Error tessera_thread_start(tessera_thread_t* handle, tessera_thread_entry_fn entry,
                                           void* argument)
{
    if (!handle || !entry)
        return seL4_InvalidArgument;
    return of(handle)->start(entry, argument).code();
}

extern "C" seL4_Error tessera_thread_join(tessera_thread_t* handle, void** result)
{
    if (!handle)
        return seL4_InvalidArgument;
    auto joined = of(handle)->join();
    if (!joined)
        return joined.code();
    if (result)
        *result = joined.value();
    return seL4_NoError;
}

extern "C" seL4_Error tessera_thread_destroy(tessera_thread_t* handle)
{
    if (!handle)
        return seL4_InvalidArgument;
    return of(handle)->destroy().code();
}

extern "C" seL4_CPtr tessera_thread_tcb(const tessera_thread_t* handle)
{
    return libos::raw(of(const_cast<tessera_thread_t*>(handle))->tcb());
}

extern "C" seL4_Word tessera_thread_tls_base(const tessera_thread_t* handle)
{
    return of(const_cast<tessera_thread_t*>(handle))->tls_base().raw();
}
