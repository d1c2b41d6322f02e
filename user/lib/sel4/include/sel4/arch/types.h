/* libsel4 compatibility: x86 capability typedefs and VM attributes, defined once in abi/. */
#pragma once

#include <sel4/sel4_arch/types.h>
#include <tessera/abi/x86.h>
