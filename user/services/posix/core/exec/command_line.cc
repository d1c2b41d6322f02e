#include "core/exec/command_line.h"

#include <string.h>

namespace tessera::posix {

namespace {

constexpr size_t MaxCommandBytes = 4096; // tessera_posix_command's size

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

bool split_command_line(const char* line, char* out, size_t capacity)
{
    // Built aside first, so that a refused line leaves `out` as it was.
    char built[MaxCommandBytes];
    const size_t limit = capacity < sizeof built ? capacity : sizeof built;
    size_t length = 0;
    size_t words = 0;
    const char* p = line;
    for (;;) {
        while (is_space(*p))
            ++p;
        if (*p == '\0')
            break;
        while (*p != '\0' && !is_space(*p)) {
            if (*p == '\'' || *p == '"') {
                const char* close = strchr(p + 1, *p);
                if (close == nullptr)
                    return false;
                for (const char* q = p + 1; q < close; ++q) {
                    if (length + 1 >= limit)
                        return false;
                    built[length++] = *q;
                }
                p = close + 1;
                continue;
            }
            if (length + 1 >= limit)
                return false;
            built[length++] = *p++;
        }
        // An empty word would end the list early: the format has no empty argument but the last.
        if (length == 0 || built[length - 1] == '\0' || length + 1 >= limit)
            return false;
        built[length++] = '\0';
        ++words;
    }
    if (words == 0 || length + 1 > limit)
        return false;
    built[length++] = '\0'; // the empty argument that ends the list
    memcpy(out, built, length);
    return true;
}

} // namespace tessera::posix
