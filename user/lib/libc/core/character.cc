// ASCII character classes: the "C" locale is the only locale a component has.

#include "tessera/libc/character.h"

namespace tessera::libc {

bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}
bool is_hex_digit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}
bool is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}
bool is_alpha(int c)
{
    return is_lower(c) || is_upper(c);
}
bool is_alnum(int c)
{
    return is_alpha(c) || is_digit(c);
}
bool is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}
bool is_blank(int c)
{
    return c == ' ' || c == '\t';
}
bool is_control(int c)
{
    return (c >= 0 && c < ' ') || c == 0x7f;
}
bool is_print(int c)
{
    return c >= ' ' && c < 0x7f;
}
bool is_graph(int c)
{
    return c > ' ' && c < 0x7f;
}
bool is_punct(int c)
{
    return is_graph(c) && !is_alnum(c);
}
int to_lower(int c)
{
    return is_upper(c) ? c - 'A' + 'a' : c;
}
int to_upper(int c)
{
    return is_lower(c) ? c - 'a' + 'A' : c;
}

} // namespace tessera::libc
