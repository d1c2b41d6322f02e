/* libsel4 compatibility: x86 boot information chunks, defined once in abi/. */
#pragma once

#include <tessera/abi/bootinfo.h>
