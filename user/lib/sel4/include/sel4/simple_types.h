/* libsel4 compatibility: the fixed-width seL4_ integer types, defined once in abi/. */
#pragma once

#include <tessera/abi/base.h>

#define seL4_True 1
#define seL4_False 0
