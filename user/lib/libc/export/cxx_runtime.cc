// The C++ runtime support a freestanding component needs: operator new/delete on malloc, and the
// ABI hooks the compiler calls for pure virtual functions and static objects (user build only).

#include <new>
#include <stdio.h>
#include <stdlib.h>

namespace {

// There are no exceptions: a failed plain new cannot throw std::bad_alloc, and must not return
// nullptr either, so it stops the component where the memory ran out.
void* allocate_or_abort(std::size_t size, std::size_t alignment)
{
    void* pointer = alignment <= 16 ? malloc(size) : aligned_alloc(alignment, size);
    if (pointer != nullptr)
        return pointer;
    printf("operator new: out of memory (%zu bytes)\n", size);
    abort();
}

} // namespace

// The tag object of `new (std::nothrow) T` (libstdc++ defines it; a freestanding build has none).
namespace std {
const nothrow_t nothrow{};
}

void* operator new(std::size_t size)
{
    return allocate_or_abort(size, 0);
}
void* operator new[](std::size_t size)
{
    return allocate_or_abort(size, 0);
}
void* operator new(std::size_t size, std::align_val_t alignment)
{
    return allocate_or_abort(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment)
{
    return allocate_or_abort(size, static_cast<std::size_t>(alignment));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    return malloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept
{
    return malloc(size);
}

void operator delete(void* pointer) noexcept
{
    free(pointer);
}
void operator delete[](void* pointer) noexcept
{
    free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept
{
    free(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept
{
    free(pointer);
}
void operator delete(void* pointer, std::align_val_t) noexcept
{
    free(pointer);
}
void operator delete[](void* pointer, std::align_val_t) noexcept
{
    free(pointer);
}
void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept
{
    free(pointer);
}
void operator delete[](void* pointer, std::size_t, std::align_val_t) noexcept
{
    free(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept
{
    free(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept
{
    free(pointer);
}

extern "C" {

// Reached only through a call of a pure virtual function during construction or destruction.
void __cxa_pure_virtual()
{
    puts("pure virtual function called");
    abort();
}

// Static objects' destructors are registered here (or with atexit when built with
// -fno-use-cxa-atexit, as Tessera's user flags do). A component never returns from main, so
// its static objects never die: accept the registration and never run it.
int __cxa_atexit(void (*)(void*), void*, void*)
{
    return 0;
}
int atexit(void (*)(void))
{
    return 0;
}

// Identifies this executable to __cxa_atexit; any unique address will do.
__attribute__((visibility("hidden"))) void* __dso_handle = &__dso_handle;

} // extern "C"
