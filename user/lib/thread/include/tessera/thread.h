/* The C interface to threads in the caller's own address space, on the process-wide allocator
 * and VSpace of <tessera/alloc.h> and <tessera/vspace.h>. */
#pragma once

#include <tessera/abi/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Storage for one thread (word-aligned by the union); it must not move between create and
 * destroy. */
typedef union tessera_thread {
    unsigned char opaque[256];
    seL4_Word align;
} tessera_thread_t;

typedef void* (*tessera_thread_entry_fn)(void* argument);

/* A thread with a stack of `stack_pages` above one unmapped guard page, running at `priority`
 * with fault endpoint `fault_ep` (a slot of the caller's CSpace, or seL4_CapNull) and its own
 * copy of the program's thread-local storage. Not started. */
seL4_Error tessera_thread_create(tessera_thread_t* thread, seL4_Word stack_pages,
                                 seL4_Word priority, seL4_CPtr fault_ep);
seL4_Error tessera_thread_start(tessera_thread_t* thread, tessera_thread_entry_fn entry,
                                void* argument);
/* Waits for the entry to return; its value goes to *result when result is not NULL. */
seL4_Error tessera_thread_join(tessera_thread_t* thread, void** result);
seL4_Error tessera_thread_destroy(tessera_thread_t* thread);
seL4_CPtr tessera_thread_tcb(const tessera_thread_t* thread);
/* The thread's TLS base (FS base); 0 before create. */
seL4_Word tessera_thread_tls_base(const tessera_thread_t* thread);

#ifdef __cplusplus
}
#endif
