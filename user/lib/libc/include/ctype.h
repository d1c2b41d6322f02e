/* Character classes of C's <ctype.h>, "C" locale (ASCII) only. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

int isdigit(int c);
int isxdigit(int c);
int islower(int c);
int isupper(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isblank(int c);
int iscntrl(int c);
int isprint(int c);
int isgraph(int c);
int ispunct(int c);
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif
