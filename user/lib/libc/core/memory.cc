// memcpy, memmove, memset, memcmp, memchr. Built with -fno-builtin and
// -fno-tree-loop-distribute-patterns: the compiler must not turn these loops back into calls to
// memcpy or memset, which in the user build are these very functions.

#include <stdint.h>

#include "tessera/libc/string_functions.h"

namespace tessera::libc {
namespace {

// A word that may sit at any address and alias any object, for copying eight bytes at a time.
using Word = uint64_t __attribute__((may_alias, aligned(1)));

} // namespace

void* memcpy(void* destination, const void* source, size_t count)
{
    auto* to = static_cast<unsigned char*>(destination);
    const auto* from = static_cast<const unsigned char*>(source);
#if defined(__x86_64__)
    // One string instruction per word (a loop takes five): file pages, messages and frames are
    // copied through here. The direction flag is clear at every call (the System V ABI).
    size_t words = count / sizeof(Word);
    asm volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(words) : : "memory");
    count %= sizeof(Word);
#endif
    for (; count >= sizeof(Word); count -= sizeof(Word)) {
        *reinterpret_cast<Word*>(to) = *reinterpret_cast<const Word*>(from);
        to += sizeof(Word);
        from += sizeof(Word);
    }
    while (count-- > 0)
        *to++ = *from++;
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto* to = static_cast<unsigned char*>(destination);
    const auto* from = static_cast<const unsigned char*>(source);
    // Compare as integers: the regions may belong to different objects.
    if (reinterpret_cast<uintptr_t>(to) <= reinterpret_cast<uintptr_t>(from) ||
        reinterpret_cast<uintptr_t>(to) >= reinterpret_cast<uintptr_t>(from) + count)
        return memcpy(destination, source, count); // forward copy cannot clobber unread bytes
    // The destination overlaps the source's tail: copy backwards.
    to += count;
    from += count;
    for (; count >= sizeof(Word); count -= sizeof(Word)) {
        to -= sizeof(Word);
        from -= sizeof(Word);
        *reinterpret_cast<Word*>(to) = *reinterpret_cast<const Word*>(from);
    }
    while (count-- > 0)
        *--to = *--from;
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    auto* to = static_cast<unsigned char*>(destination);
    const auto byte = static_cast<unsigned char>(value);
    const uint64_t pattern = 0x0101010101010101ull * byte;
#if defined(__x86_64__)
    size_t words = count / sizeof(Word);
    asm volatile("rep stosq" : "+D"(to), "+c"(words) : "a"(pattern) : "memory");
    count %= sizeof(Word);
#endif
    for (; count >= sizeof(Word); count -= sizeof(Word)) {
        *reinterpret_cast<Word*>(to) = pattern;
        to += sizeof(Word);
    }
    while (count-- > 0)
        *to++ = byte;
    return destination;
}

int memcmp(const void* left, const void* right, size_t count)
{
    const auto* a = static_cast<const unsigned char*>(left);
    const auto* b = static_cast<const unsigned char*>(right);
    for (size_t i = 0; i < count; ++i) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

void* memchr(const void* memory, int value, size_t count)
{
    const auto* bytes = static_cast<const unsigned char*>(memory);
    const auto wanted = static_cast<unsigned char>(value);
    for (size_t i = 0; i < count; ++i) {
        if (bytes[i] == wanted)
            return const_cast<unsigned char*>(bytes + i);
    }
    return nullptr;
}

} // namespace tessera::libc
