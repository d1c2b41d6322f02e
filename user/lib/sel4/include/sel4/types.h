/* libsel4 compatibility: every type a seL4 program names, built on abi/. */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/sel4_arch/types.h>
#include <sel4/arch/types.h>
#include <sel4/objecttype.h>
#include <sel4/errors.h>
#include <sel4/constants.h>
#include <sel4/shared_types.h>
#include <tessera/abi/cap_types.h>
#include <tessera/abi/cnode_cap_data.h>
#include <tessera/abi/initial_caps.h>
#include <tessera/abi/message_info.h>
#include <tessera/abi/rights.h>
#include <tessera/abi/syscalls.h>

#define seL4_NilData 0
