/* libsel4 compatibility: BootInfo, initial capability slots, chunk ids; defined in abi/. */
#pragma once

#include <tessera/abi/bootinfo.h>
#include <tessera/abi/initial_caps.h>
