/* The library OS headers compiled as C11, as a C component would include them. */

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/format.h>
#include <tessera/libc.h>
#include <tessera/log.h>

static_assert(sizeof(size_t) == 8, "x86_64");

/* Returns the number of failed checks; the C++ side reports them. */
int c_headers_check(void)
{
    int failures = 0;
    char buffer[32];
    if (tessera_snprintf(buffer, sizeof buffer, "%s:%d", "c", 11) != 4 || strcmp(buffer, "c:11"))
        ++failures;
    char* end = NULL;
    errno = 0;
    if (strtoul("99999999999999999999", &end, 10) != (unsigned long)-1 || errno != ERANGE)
        ++failures;
    if (!isxdigit('F') || tolower('Q') != 'q')
        ++failures;
    void* memory = malloc(40);
    if (memory == NULL)
        ++failures;
    free(memory);
    if (tessera_log(TESSERA_LOG_DEBUG, "filtered %d", 1) != 0)
        ++failures;
    assert(failures >= 0);
    return failures;
}
