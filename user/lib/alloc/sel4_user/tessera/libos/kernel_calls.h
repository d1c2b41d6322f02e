/* The kernel interface of the library OS in a component: the libsel4-compatible system calls and
 * generated invocation stubs. The host build picks sel4_host/ instead, where a test's fake kernel
 * stands behind the same names. */
#pragma once

#include <sel4/sel4.h>
