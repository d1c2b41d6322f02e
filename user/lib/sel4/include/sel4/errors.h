/* libsel4 compatibility: seL4_Error, defined once in abi/. */
#pragma once

#include <tessera/abi/errors.h>
