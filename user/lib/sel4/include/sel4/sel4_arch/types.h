/* libsel4 compatibility: x86_64 word types and seL4_UserContext, defined once in abi/. */
#pragma once

#include <tessera/abi/base.h>
#include <tessera/abi/user_context.h>

typedef seL4_CPtr seL4_X64_PML4;
