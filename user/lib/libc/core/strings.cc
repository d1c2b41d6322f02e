// The NUL-terminated string routines of <string.h>. Built with -fno-builtin (see memory.cc).

#include "tessera/libc/string_functions.h"

namespace tessera::libc {

size_t strlen(const char* text)
{
    size_t length = 0;
    while (text[length] != '\0')
        ++length;
    return length;
}

size_t strnlen(const char* text, size_t limit)
{
    size_t length = 0;
    while (length < limit && text[length] != '\0')
        ++length;
    return length;
}

// C compares strings as unsigned char, whatever the signedness of char.
int strcmp(const char* left, const char* right)
{
    return strncmp(left, right, static_cast<size_t>(-1));
}

int strncmp(const char* left, const char* right, size_t limit)
{
    for (size_t i = 0; i < limit; ++i) {
        const auto a = static_cast<unsigned char>(left[i]);
        const auto b = static_cast<unsigned char>(right[i]);
        if (a != b)
            return a < b ? -1 : 1;
        if (a == '\0')
            return 0;
    }
    return 0;
}

char* strcpy(char* destination, const char* source)
{
    size_t i = 0;
    for (; source[i] != '\0'; ++i)
        destination[i] = source[i];
    destination[i] = '\0';
    return destination;
}

// C: copies at most `count` characters and pads the rest of the `count` bytes with NULs; the
// result is not terminated when the source is `count` characters or longer.
char* strncpy(char* destination, const char* source, size_t count)
{
    size_t i = 0;
    for (; i < count && source[i] != '\0'; ++i)
        destination[i] = source[i];
    for (; i < count; ++i)
        destination[i] = '\0';
    return destination;
}

char* strcat(char* destination, const char* source)
{
    strcpy(destination + strlen(destination), source);
    return destination;
}

// C: appends at most `count` characters and always terminates.
char* strncat(char* destination, const char* source, size_t count)
{
    char* end = destination + strlen(destination);
    size_t i = 0;
    for (; i < count && source[i] != '\0'; ++i)
        end[i] = source[i];
    end[i] = '\0';
    return destination;
}

// C: the terminator itself can be searched for.
char* strchr(const char* text, int character)
{
    const char wanted = static_cast<char>(character);
    for (;; ++text) {
        if (*text == wanted)
            return const_cast<char*>(text);
        if (*text == '\0')
            return nullptr;
    }
}

char* strrchr(const char* text, int character)
{
    const char wanted = static_cast<char>(character);
    const char* found = nullptr;
    for (;; ++text) {
        if (*text == wanted)
            found = text;
        if (*text == '\0')
            return const_cast<char*>(found);
    }
}

char* strstr(const char* haystack, const char* needle)
{
    const size_t needle_length = strlen(needle);
    for (; *haystack != '\0' || needle_length == 0; ++haystack) {
        if (strncmp(haystack, needle, needle_length) == 0)
            return const_cast<char*>(haystack);
    }
    return nullptr;
}

size_t strspn(const char* text, const char* accepted)
{
    size_t length = 0;
    while (text[length] != '\0' && strchr(accepted, text[length]) != nullptr)
        ++length;
    return length;
}

size_t strcspn(const char* text, const char* rejected)
{
    size_t length = 0;
    // strchr finds the terminator too, so test the text's own end first.
    while (text[length] != '\0' && strchr(rejected, text[length]) == nullptr)
        ++length;
    return length;
}

char* strpbrk(const char* text, const char* wanted)
{
    text += strcspn(text, wanted);
    return *text != '\0' ? const_cast<char*>(text) : nullptr;
}

char* strtok_r(char* text, const char* separators, char** state)
{
    char* cursor = text != nullptr ? text : *state;
    if (cursor == nullptr)
        return nullptr;
    cursor += strspn(cursor, separators);
    if (*cursor == '\0') {
        *state = nullptr;
        return nullptr;
    }
    char* token = cursor;
    cursor += strcspn(cursor, separators);
    if (*cursor != '\0') {
        *cursor = '\0';
        *state = cursor + 1;
    } else {
        *state = nullptr;
    }
    return token;
}

} // namespace tessera::libc
