// <ctype.h> under its C names, for components (user build only).

#include <ctype.h>

#include "tessera/libc/character.h"

namespace libc = tessera::libc;

extern "C" {

int isdigit(int c)
{
    return libc::is_digit(c);
}
int isxdigit(int c)
{
    return libc::is_hex_digit(c);
}
int islower(int c)
{
    return libc::is_lower(c);
}
int isupper(int c)
{
    return libc::is_upper(c);
}
int isalpha(int c)
{
    return libc::is_alpha(c);
}
int isalnum(int c)
{
    return libc::is_alnum(c);
}
int isspace(int c)
{
    return libc::is_space(c);
}
int isblank(int c)
{
    return libc::is_blank(c);
}
int iscntrl(int c)
{
    return libc::is_control(c);
}
int isprint(int c)
{
    return libc::is_print(c);
}
int isgraph(int c)
{
    return libc::is_graph(c);
}
int ispunct(int c)
{
    return libc::is_punct(c);
}
int tolower(int c)
{
    return libc::to_lower(c);
}
int toupper(int c)
{
    return libc::to_upper(c);
}

} // extern "C"
