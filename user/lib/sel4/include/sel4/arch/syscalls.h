/* libsel4 compatibility: x86 has no system calls beyond the x86_64 ones. */
#pragma once

#include <sel4/sel4_arch/syscalls.h>
