/* libsel4 compatibility: object type numbers, defined once in abi/. */
#pragma once

#include <tessera/abi/object_types.h>
