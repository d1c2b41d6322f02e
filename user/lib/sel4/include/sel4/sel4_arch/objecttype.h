/* libsel4 compatibility: x86_64 object types, defined once in abi/. */
#pragma once

#include <tessera/abi/object_types.h>
