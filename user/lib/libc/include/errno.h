/* C's <errno.h>: one errno for the component (the library has no thread-local storage). */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

extern int errno;

#define EINVAL 22
#define ENOMEM 12
#define ERANGE 34

#ifdef __cplusplus
}
#endif
