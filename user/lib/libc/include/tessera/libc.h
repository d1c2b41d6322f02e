/* The hooks a runtime sets before a component's main: output, abort, heap and constructors.
 * Compiles as C11 and C++20. */
#pragma once

#include <stddef.h>

#include <tessera/format.h>

#ifdef __cplusplus
extern "C" {
#endif

/* printf, puts and putchar hand every character to `put` (nothing is printed until set). */
void tessera_set_output(tessera_put_fn put, void* context);

/* Called by abort() and failed assertions before the thread faults on purpose (ud2). */
void tessera_set_abort_handler(void (*handler)(void));

/* What exit() and _Exit() call: the runtime ends the component (on seL4, by suspending the
 * thread or telling its monitor). If the handler returns, the thread faults like abort(). */
void tessera_set_exit_handler(void (*handler)(int status));

/* Gives malloc the memory [base, base + size). Returns 0, or -1 if the region is too small.
 * Calling it again forgets every earlier allocation. */
int tessera_heap_init(void* base, size_t size);

/* Makes malloc and friends thread-safe: every heap operation runs between lock(context) and
 * unlock(context) (e.g. a mutex built on a notification). NULL functions mean no locking, the
 * default, right for a single-threaded component. Set it before a second thread starts. */
void tessera_heap_set_lock(void (*lock)(void* context), void (*unlock)(void* context),
                           void* context);

/* Runs the static constructors (.preinit_array then .init_array) once, in link order. The
 * runtime calls this after tessera_heap_init and before main. */
void tessera_run_constructors(void);

#ifdef __cplusplus
}
#endif
