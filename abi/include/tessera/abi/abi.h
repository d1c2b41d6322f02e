/* Tessera ABI: every ABI header at once, for code that wants the whole seL4 x86_64 ABI. */
#pragma once

#include <tessera/abi/base.h>
#include <tessera/abi/bootinfo.h>
#include <tessera/abi/cap_types.h>
#include <tessera/abi/cnode_cap_data.h>
#include <tessera/abi/errors.h>
#include <tessera/abi/faults.h>
#include <tessera/abi/initial_caps.h>
#include <tessera/abi/ipc_buffer.h>
#include <tessera/abi/lookup_failure.h>
#include <tessera/abi/message_info.h>
#include <tessera/abi/object_sizes.h>
#include <tessera/abi/object_types.h>
#include <tessera/abi/rights.h>
#include <tessera/abi/sel4_version.h>
#include <tessera/abi/svm.h>
#include <tessera/abi/syscalls.h>
#include <tessera/abi/tcb_flags.h>
#include <tessera/abi/user_context.h>
#include <tessera/abi/x86.h>
