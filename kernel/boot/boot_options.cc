#include "boot/boot_options.h"

namespace tessera::boot {

bool has_option(const char* command_line, const char* name)
{
    for (const char* word = command_line; *word;) {
        while (*word == ' ')
            word++;
        const char* n = name;
        const char* w = word;
        while (*n && *w == *n) {
            n++;
            w++;
        }
        if (*n == '\0' && (*w == ' ' || *w == '\0') && w != word)
            return true;
        while (*word && *word != ' ')
            word++;
    }
    return false;
}

} // namespace tessera::boot
