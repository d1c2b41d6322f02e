/* Memory and string functions of C's <string.h> for Tessera components. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void* memcpy(void* destination, const void* source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int value, size_t count);
int memcmp(const void* left, const void* right, size_t count);
void* memchr(const void* memory, int value, size_t count);

size_t strlen(const char* text);
size_t strnlen(const char* text, size_t limit);
int strcmp(const char* left, const char* right);
int strncmp(const char* left, const char* right, size_t limit);
char* strcpy(char* destination, const char* source);
char* strncpy(char* destination, const char* source, size_t count);
char* strcat(char* destination, const char* source);
char* strncat(char* destination, const char* source, size_t count);
char* strchr(const char* text, int character);
char* strrchr(const char* text, int character);
char* strstr(const char* haystack, const char* needle);
size_t strspn(const char* text, const char* accepted);
size_t strcspn(const char* text, const char* rejected);
char* strpbrk(const char* text, const char* wanted);
char* strtok_r(char* text, const char* separators, char** state);
/* The words for an errno value (glibc's), "Unknown error N" for others (in a static buffer). */
char* strerror(int code);
/* Copies into memory from malloc; NULL when out of memory. */
char* strdup(const char* text);
char* strndup(const char* text, size_t limit);

#ifdef __cplusplus
}
#endif
