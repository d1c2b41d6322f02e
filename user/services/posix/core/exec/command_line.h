// A command given as one line of text (a `.system`'s `<setvar string=>`, which cannot hold NULs)
// made into the server's argument list: words split at spaces and tabs, a part in single or
// double quotes kept whole (no escapes, no expansion: the line names a program and its
// arguments; a shell is a word like any other, `sh -c 'echo hi | wc -c'`).
#pragma once

#include <stddef.h>

namespace tessera::posix {

// Writes the words NUL-terminated one after the other into `out`, an empty one last (the form
// of tessera_posix_command). False, with `out` unchanged, when the line has no word, a quote is
// not closed, a word is empty ('' or "": that format ends at its first empty argument), or the
// words do not fit `capacity` bytes.
bool split_command_line(const char* line, char* out, size_t capacity);

} // namespace tessera::posix
