// The memory functions the compiler may call from kernel code, with x86's string instructions
// (fast on every CPU with ERMSB and never slower than a byte loop elsewhere).
#include <cstddef>

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    void* d = destination;
    asm volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(count) : : "memory");
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    void* d = destination;
    asm volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto* d = static_cast<unsigned char*>(destination);
    auto* s = static_cast<const unsigned char*>(source);
    if (d <= s || d >= s + count)
        return memcpy(destination, source, count);
    // Overlap with the destination above the source: copy backwards.
    d += count - 1;
    s += count - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
    return destination;
}

int memcmp(const void* a, const void* b, size_t count)
{
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < count; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}
}
