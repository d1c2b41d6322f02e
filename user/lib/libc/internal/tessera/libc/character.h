// Character classes of <ctype.h> for the "C" locale (ASCII), callable beside the host's libc.
#pragma once

namespace tessera::libc {

// Each takes an unsigned char value or EOF, as C requires; bytes above 127 belong to no class.
bool is_digit(int c);
bool is_hex_digit(int c);
bool is_lower(int c);
bool is_upper(int c);
bool is_alpha(int c);
bool is_alnum(int c);
bool is_space(int c);
bool is_blank(int c);
bool is_control(int c);
bool is_print(int c);
bool is_graph(int c);
bool is_punct(int c);
int to_lower(int c);
int to_upper(int c);

} // namespace tessera::libc
