// <stdlib.h> under its C names: malloc over the global heap, number parsing, abort, and the
// heap and abort hooks' setters (user build only).

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <tessera/libc.h>

#include "tessera/libc/conversion.h"
#include "tessera/libc/failure.h"
#include "tessera/libc/heap.h"
#include "tessera/libc/output.h"
#include "tessera/libc/sort.h"
#include "tessera/libc/string_functions.h"

namespace libc = tessera::libc;

namespace {

constinit libc::Heap heap;

struct HeapLock {
    void (*lock)(void*);
    void (*unlock)(void*);
    void* context;
};

constinit HeapLock heap_lock{nullptr, nullptr, nullptr};

using ExitHandler = void (*)(int status);
constinit ExitHandler exit_handler = nullptr;

// Holds the heap lock (if the runtime installed one) for one heap operation.
class HeapGuard {
public:
    HeapGuard()
    {
        if (heap_lock.lock != nullptr)
            heap_lock.lock(heap_lock.context);
    }
    ~HeapGuard()
    {
        if (heap_lock.unlock != nullptr)
            heap_lock.unlock(heap_lock.context);
    }
    HeapGuard(const HeapGuard&) = delete;
    HeapGuard& operator=(const HeapGuard&) = delete;
};

// errno is set only on failure, as C requires.
void* allocation_result(void* pointer)
{
    if (pointer == nullptr)
        errno = ENOMEM;
    return pointer;
}

template <class T>
T store_end(const libc::ParsedInteger& parsed, char** end, libc::Range range, T value)
{
    if (end != nullptr)
        *end = const_cast<char*>(parsed.end);
    if (range == libc::Range::Overflow)
        errno = ERANGE;
    return value;
}

} // namespace

extern "C" {

int tessera_heap_init(void* base, size_t size)
{
    HeapGuard guard;
    return heap.initialise(base, size) == libc::HeapStatus::Ok ? 0 : -1;
}

void tessera_set_abort_handler(void (*handler)(void))
{
    libc::set_abort_handler(handler);
}

void tessera_heap_set_lock(void (*lock)(void*), void (*unlock)(void*), void* context)
{
    heap_lock = HeapLock{lock, unlock, context};
}

void* malloc(size_t size)
{
    HeapGuard guard;
    return allocation_result(heap.allocate(size));
}

void* calloc(size_t count, size_t size)
{
    size_t total = 0;
    if (__builtin_mul_overflow(count, size, &total))
        return allocation_result(nullptr);
    void* pointer = nullptr;
    {
        HeapGuard guard;
        pointer = heap.allocate(total);
    }
    if (pointer != nullptr)
        libc::memset(pointer, 0, total);
    return allocation_result(pointer);
}

void* realloc(void* pointer, size_t size)
{
    HeapGuard guard;
    void* moved = heap.reallocate(pointer, size);
    return size == 0 ? moved : allocation_result(moved);
}

void* aligned_alloc(size_t alignment, size_t size)
{
    HeapGuard guard;
    return allocation_result(heap.allocate_aligned(alignment, size));
}

int posix_memalign(void** result, size_t alignment, size_t size)
{
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void* pointer = nullptr;
    {
        HeapGuard guard;
        pointer = heap.allocate_aligned(alignment, size);
    }
    if (pointer == nullptr)
        return ENOMEM;
    *result = pointer;
    return 0;
}

void free(void* pointer)
{
    libc::HeapStatus status;
    {
        HeapGuard guard;
        status = heap.release(pointer);
    }
    if (status == libc::HeapStatus::Ok)
        return;
    // A corrupted heap must not limp on: stop here, where the bad free is.
    printf("free: %p was not allocated or is freed already\n", pointer);
    libc::abort();
}

long strtol(const char* text, char** end, int base)
{
    const auto parsed = libc::parse_integer(text, base);
    libc::Range range;
    const int64_t value = libc::to_signed(parsed, range);
    return store_end(parsed, end, range, static_cast<long>(value));
}

unsigned long strtoul(const char* text, char** end, int base)
{
    const auto parsed = libc::parse_integer(text, base);
    libc::Range range;
    const uint64_t value = libc::to_unsigned(parsed, range);
    return store_end(parsed, end, range, static_cast<unsigned long>(value));
}

long long strtoll(const char* text, char** end, int base)
{
    return strtol(text, end, base);
}

unsigned long long strtoull(const char* text, char** end, int base)
{
    return strtoul(text, end, base);
}

int atoi(const char* text)
{
    return static_cast<int>(strtol(text, nullptr, 10));
}
long atol(const char* text)
{
    return strtol(text, nullptr, 10);
}

void qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*))
{
    libc::qsort(base, count, size, compare);
}

void* bsearch(const void* key, const void* base, size_t count, size_t size,
              int (*compare)(const void*, const void*))
{
    return libc::bsearch(key, base, count, size, compare);
}

int abs(int value)
{
    return value < 0 ? -value : value;
}
long labs(long value)
{
    return value < 0 ? -value : value;
}
long long llabs(long long value)
{
    return value < 0 ? -value : value;
}

void abort(void)
{
    libc::abort();
}

void tessera_set_exit_handler(void (*handler)(int status))
{
    exit_handler = handler;
}

void exit(int status)
{
    if (exit_handler != nullptr)
        exit_handler(status);
    __builtin_trap();
}

void _Exit(int status)
{
    exit(status);
}

void __tessera_assert_fail(const char* expression, const char* file, int line, const char* function)
{
    libc::assertion_failed(expression, file, line, function);
}

} // extern "C"
