/* libsel4 compatibility: x86_64 object sizes and fault message layouts, defined in abi/. */
#pragma once

#include <tessera/abi/faults.h>
#include <tessera/abi/ipc_buffer.h>
#include <tessera/abi/object_sizes.h>

#define TLS_GDT_ENTRY 7
#define TLS_GDT_SELECTOR ((TLS_GDT_ENTRY << 3) | 3)
#define IPCBUF_GDT_ENTRY 8
#define IPCBUF_GDT_SELECTOR ((IPCBUF_GDT_ENTRY << 3) | 3)
