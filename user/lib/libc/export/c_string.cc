// <string.h> under its C names, for components (user build only).

#include <stdlib.h>
#include <string.h>

#include "tessera/libc/error_text.h"
#include "tessera/libc/string_functions.h"
#include <tessera/format.h>

namespace libc = tessera::libc;

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    return libc::memcpy(destination, source, count);
}
void* memmove(void* destination, const void* source, size_t count)
{
    return libc::memmove(destination, source, count);
}
void* memset(void* destination, int value, size_t count)
{
    return libc::memset(destination, value, count);
}
int memcmp(const void* left, const void* right, size_t count)
{
    return libc::memcmp(left, right, count);
}
void* memchr(const void* memory, int value, size_t count)
{
    return libc::memchr(memory, value, count);
}
size_t strlen(const char* text)
{
    return libc::strlen(text);
}
size_t strnlen(const char* text, size_t limit)
{
    return libc::strnlen(text, limit);
}
int strcmp(const char* left, const char* right)
{
    return libc::strcmp(left, right);
}
int strncmp(const char* left, const char* right, size_t limit)
{
    return libc::strncmp(left, right, limit);
}
char* strcpy(char* destination, const char* source)
{
    return libc::strcpy(destination, source);
}
char* strncpy(char* destination, const char* source, size_t count)
{
    return libc::strncpy(destination, source, count);
}
char* strcat(char* destination, const char* source)
{
    return libc::strcat(destination, source);
}
char* strncat(char* destination, const char* source, size_t count)
{
    return libc::strncat(destination, source, count);
}
char* strchr(const char* text, int character)
{
    return libc::strchr(text, character);
}
char* strrchr(const char* text, int character)
{
    return libc::strrchr(text, character);
}
char* strstr(const char* haystack, const char* needle)
{
    return libc::strstr(haystack, needle);
}
size_t strspn(const char* text, const char* accepted)
{
    return libc::strspn(text, accepted);
}
size_t strcspn(const char* text, const char* rejected)
{
    return libc::strcspn(text, rejected);
}
char* strpbrk(const char* text, const char* wanted)
{
    return libc::strpbrk(text, wanted);
}
char* strtok_r(char* text, const char* separators, char** state)
{
    return libc::strtok_r(text, separators, state);
}
char* strdup(const char* text)
{
    return strndup(text, static_cast<size_t>(-1));
}
char* strndup(const char* text, size_t limit)
{
    const size_t length = libc::strnlen(text, limit);
    auto* copy = static_cast<char*>(malloc(length + 1));
    if (copy == nullptr)
        return nullptr;
    libc::memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char* strerror(int code)
{
    if (const char* text = libc::error_text(code))
        return const_cast<char*>(text);
    static char unknown[32];
    tessera_snprintf(unknown, sizeof unknown, "Unknown error %d", code);
    return unknown;
}

} // extern "C"
