/* libsel4 compatibility: the IPC buffer and capability fault layout, defined once in abi/. */
#pragma once

#include <tessera/abi/faults.h>
#include <tessera/abi/ipc_buffer.h>
