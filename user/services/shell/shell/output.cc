// The shell's output helpers: formatted lines, error lines, mode strings and UTC times.
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <tessera/format.h>

#include "commands.h"

namespace tessera::services::shell {

void Out::text(const char* text) { terminal_.write(text, strlen(text)); }

void Out::line(const char* format, ...)
{
    char buffer[Shell::LineMax + 64];
    va_list args;
    va_start(args, format);
    int length = tessera_vsnprintf(buffer, sizeof buffer - 1, format, args);
    va_end(args);
    size_t used = length < 0 ? 0 : static_cast<size_t>(length);
    if (used > sizeof buffer - 2)
        used = sizeof buffer - 2;
    buffer[used++] = '\n';
    terminal_.write(buffer, used);
}

void Out::error(const char* command, const char* path) { line("%s: %s: %s", command, path, strerror(errno)); }

void Out::usage(const char* command, const char* usage) { line("%s: usage: %s", command, usage); }

void mode_string(uint32_t mode, char* buffer)
{
    switch (mode & TESSERA_FS_S_IFMT) {
    case TESSERA_FS_S_IFDIR: buffer[0] = 'd'; break;
    case TESSERA_FS_S_IFLNK: buffer[0] = 'l'; break;
    case TESSERA_FS_S_IFREG: buffer[0] = '-'; break;
    case 0020000: buffer[0] = 'c'; break;
    case 0060000: buffer[0] = 'b'; break;
    case 0010000: buffer[0] = 'p'; break;
    case 0140000: buffer[0] = 's'; break;
    default: buffer[0] = '?'; break;
    }
    const char letters[] = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        buffer[1 + i] = (mode & (0400u >> i)) ? letters[i] : '-';
    // setuid, setgid and sticky show in the execute columns, as ls shows them.
    if (mode & 04000)
        buffer[3] = (mode & 0100) ? 's' : 'S';
    if (mode & 02000)
        buffer[6] = (mode & 0010) ? 's' : 'S';
    if (mode & 01000)
        buffer[9] = (mode & 0001) ? 't' : 'T';
    buffer[10] = '\0';
}

void utc_time(int64_t seconds, char* buffer)
{
    // Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t year = year_of_era + era * 400;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_index = (5 * day_of_year + 2) / 153;
    int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
    int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
    if (month <= 2)
        ++year;
    tessera_snprintf(buffer, 20, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", static_cast<long long>(year),
                     static_cast<long long>(month), static_cast<long long>(day),
                     static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                     static_cast<long long>(rest % 60));
}

} // namespace tessera::services::shell
