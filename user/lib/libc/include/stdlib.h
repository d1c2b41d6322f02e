/* Memory allocation, number parsing and abort of C's <stdlib.h> for Tessera components.
 * malloc and friends serve the region given to tessera_heap_init() (see tessera/libc.h); they
 * are not thread-safe. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void* malloc(size_t size);
void* calloc(size_t count, size_t size);
void* realloc(void* pointer, size_t size);
void* aligned_alloc(size_t alignment, size_t size);
int posix_memalign(void** result, size_t alignment, size_t size);
/* Aborts on a pointer malloc did not return or that was freed already. */
void free(void* pointer);

long strtol(const char* text, char** end, int base);
unsigned long strtoul(const char* text, char** end, int base);
long long strtoll(const char* text, char** end, int base);
unsigned long long strtoull(const char* text, char** end, int base);
int atoi(const char* text);
long atol(const char* text);

/* Sorts in place (heapsort: not stable, no recursion, no allocation). */
void qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));
void* bsearch(const void* key, const void* base, size_t count, size_t size,
              int (*compare)(const void*, const void*));

int abs(int value);
long labs(long value);
long long llabs(long long value);

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

__attribute__((noreturn)) void abort(void);
/* Ends the component through the handler set with tessera_set_exit_handler(); with none set (or
 * if it returns) the thread faults like abort(). Static destructors are not run. */
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void _Exit(int status);

#ifdef __cplusplus
}
#endif
