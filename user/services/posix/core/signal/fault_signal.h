// Which signal a program's own fault raises, as Linux's x86_64 trap handlers choose it: an
// unresolved page fault (SIGSEGV with SEGV_MAPERR or SEGV_ACCERR, SIGBUS past a file's end) or a
// CPU exception seL4 reports as a UserException (its vector and error code).
#pragma once

#include <stdint.h>

#include "core/vm/address_space.h"

namespace tessera::posix {

struct FaultSignal {
    int signal = 0;       // SIGKILL for a fault no handler may see (out of memory)
    int32_t code = 0;     // si_code
    uint64_t address = 0; // si_addr
    // What the frame's sigcontext reports (trapno, err, cr2).
    uint64_t trap_number = 0;
    uint64_t error = 0;
    uint64_t cr2 = 0;
};

// A page fault at `address` with the x86 error code `error` that the address space answered
// `result` (anything but Resolved).
FaultSignal page_fault_signal(FaultResult result, uint64_t address, uint64_t error);

// CPU exception `vector` with its error code, raised by the instruction at `ip`.
FaultSignal exception_signal(uint64_t vector, uint64_t error, uint64_t ip);

} // namespace tessera::posix
