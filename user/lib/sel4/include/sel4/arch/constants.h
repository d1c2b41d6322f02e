/* libsel4 compatibility: x86 constants (interrupt vectors, VT-x object sizes), in abi/. */
#pragma once

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/x86.h>
