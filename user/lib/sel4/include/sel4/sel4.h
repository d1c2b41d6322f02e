/* libsel4 compatibility: the one header a seL4 program includes. Everything numeric comes from
 * abi/ (tessera_abi); the invocation stubs are generated from the .def files in abi/invocations. */
#pragma once

#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/bootinfo.h>
#include <sel4/faults.h>
#include <sel4/functions.h>
#include <sel4/invocation.h>
#include <sel4/arch/invocation.h>
#include <sel4/sel4_arch/invocation.h>
#include <sel4/messages.h>
#include <sel4/syscalls.h>
#include <interfaces/sel4_client.h>
