// The component's errno (user build only).

#include <errno.h>

extern "C" {
int errno = 0;
}
