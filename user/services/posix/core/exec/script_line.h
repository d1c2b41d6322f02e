// A "#!" script's first line, as Linux's binfmt_script reads it: execve of a script runs its
// interpreter with at most one argument from the line, then the script's path, then the
// arguments after the script's argv[0].
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"

namespace tessera::posix {

// Linux reads this much of the file for the line (BINPRM_BUF_SIZE).
inline constexpr size_t ScriptLineCapacity = 256;
// Scripts whose interpreter is a script, at most this deep (ELOOP past it), as Linux.
inline constexpr unsigned MaxScriptNesting = 4;

struct ScriptLine {
    char interpreter[ScriptLineCapacity] = {};
    char argument[ScriptLineCapacity] = {}; // empty when the line has none
};

// False when `bytes` do not start with "#!" (not a script). ENOEXEC when the line names no
// interpreter, or when it does not end within the first 256 bytes and the interpreter's name
// does not either (what Linux would truncate into another file's name).
Result<bool> parse_script_line(const uint8_t* bytes, size_t size, ScriptLine& line);

} // namespace tessera::posix
