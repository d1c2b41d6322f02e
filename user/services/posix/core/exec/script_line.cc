// Parsing the "#!" line: blanks are spaces and tabs; the interpreter is the first word, the
// argument everything after the blanks that follow it, up to the end of the line with trailing
// blanks removed (one argument, blanks inside kept, as Linux).
#include "core/exec/script_line.h"

#include <string.h>

namespace tessera::posix {

namespace {

bool blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

} // namespace

Result<bool> parse_script_line(const uint8_t* bytes, size_t size, ScriptLine& line)
{
    line = ScriptLine{};
    if (size < 2 || bytes[0] != '#' || bytes[1] != '!')
        return false;
    const size_t limit = size < ScriptLineCapacity ? size : ScriptLineCapacity;
    size_t end = 2;
    while (end < limit && bytes[end] != '\n')
        ++end;
    const bool whole = end < limit || size <= ScriptLineCapacity;
    size_t at = 2;
    while (at < end && blank(bytes[at]))
        ++at;
    const size_t name = at;
    while (at < end && !blank(bytes[at]) && bytes[at] != '\0')
        ++at;
    if (at == name)
        return Errno::NoExec;
    // A line cut at 256 bytes is refused when the cut falls inside the interpreter's name.
    if (!whole && at == end)
        return Errno::NoExec;
    memcpy(line.interpreter, bytes + name, at - name);
    while (at < end && blank(bytes[at]))
        ++at;
    size_t last = end;
    while (last > at && (blank(bytes[last - 1]) || bytes[last - 1] == '\r' || bytes[last - 1] == '\0'))
        --last;
    memcpy(line.argument, bytes + at, last - at);
    return true;
}

} // namespace tessera::posix
