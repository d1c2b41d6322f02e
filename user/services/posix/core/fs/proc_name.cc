#include "core/fs/proc_name.h"

#include <string.h>

namespace tessera::posix::fs {
namespace {

// The component at `p` (up to '/' or the end) as a non-negative decimal below 2^31, or -1.
int32_t number_of(const char* p, size_t length)
{
    if (length == 0 || length > 10)
        return -1;
    int64_t value = 0;
    for (size_t i = 0; i < length; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        value = value * 10 + (p[i] - '0');
    }
    return value <= INT32_MAX ? int32_t(value) : -1;
}

size_t component_length(const char* p)
{
    const char* slash = strchr(p, '/');
    return slash ? size_t(slash - p) : strlen(p);
}

bool is(const char* p, size_t length, const char* word)
{
    return strlen(word) == length && strncmp(p, word, length) == 0;
}

} // namespace

ProcName parse_proc_name(const char* name, int32_t caller)
{
    ProcName result;
    if (strncmp(name, "/proc", 5) != 0 || (name[5] != '\0' && name[5] != '/'))
        return result;
    const char* p = name + 5;
    result.kind = ProcName::Kind::Root;
    if (*p == '\0')
        return result;
    ++p; // past '/'
    size_t length = component_length(p);
    if (is(p, length, "mounts") || is(p, length, "meminfo")) {
        result.kind = is(p, length, "mounts") ? ProcName::Kind::Mounts : ProcName::Kind::Meminfo;
        result.below_link = p[length] != '\0';
        return result;
    }
    if (is(p, length, "self")) {
        result.pid = caller;
        if (p[length] == '\0') {
            result.kind = ProcName::Kind::SelfLink;
            return result;
        }
    } else {
        result.pid = number_of(p, length);
        if (result.pid <= 0) {
            result.kind = ProcName::Kind::Missing;
            return result;
        }
    }
    result.kind = ProcName::Kind::Process;
    p += length;
    if (*p == '\0')
        return result;
    ++p;
    length = component_length(p);
    if (is(p, length, "exe")) {
        result.kind = ProcName::Kind::Exe;
    } else if (is(p, length, "fd")) {
        result.kind = ProcName::Kind::FdDirectory;
        if (p[length] != '\0') {
            p += length + 1;
            length = component_length(p);
            result.fd = number_of(p, length);
            result.kind = result.fd >= 0 ? ProcName::Kind::Fd : ProcName::Kind::Missing;
        }
    } else {
        result.kind = ProcName::Kind::Missing;
        return result;
    }
    if (result.kind != ProcName::Kind::Missing && p[length] != '\0')
        result.below_link = true;
    return result;
}

size_t format_decimal(int64_t value, char* out, size_t capacity)
{
    char digits[24];
    size_t n = 0;
    uint64_t rest = value < 0 ? 0 : uint64_t(value);
    do {
        digits[n++] = char('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    if (n + 1 > capacity)
        return 0;
    for (size_t i = 0; i < n; ++i)
        out[i] = digits[n - 1 - i];
    out[n] = '\0';
    return n;
}

} // namespace tessera::posix::fs
