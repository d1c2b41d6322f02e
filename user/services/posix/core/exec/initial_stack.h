// The stack a new Linux program starts on, laid out as Linux's execve does (fs/binfmt_elf.c):
// rsp points at argc, then argv[] and NULL, envp[] and NULL, the auxiliary vector ending in
// AT_NULL; above them the 16 random bytes of AT_RANDOM, the platform string, and at the top the
// argument and environment strings and the file name of AT_EXECFN. glibc's and musl's static
// start code read exactly this, so its layout is the contract.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "core/vm/address_space.h"

namespace tessera::posix {

// What the loader knows about the image, for the auxiliary vector.
struct ImageFacts {
    uint64_t entry = 0;          // AT_ENTRY: the program's entry (after any load bias)
    uint64_t program_headers = 0; // AT_PHDR: where the program headers are in memory
    uint64_t program_header_size = 56;
    uint64_t program_header_count = 0;
    uint64_t interpreter_base = 0; // AT_BASE: 0 for a static program
};

struct Credentials {
    uint32_t uid = 0, euid = 0, gid = 0, egid = 0;
};

// A list of C strings in the server's memory (argv or envp as execve copied them in).
struct StringList {
    const char* const* items = nullptr;
    size_t count = 0;
};

// Linux's limit on argv + envp (MAX_ARG_STRLEN per string, ARG_MAX for all): E2BIG beyond.
inline constexpr size_t MaxArgumentString = 32 * PageSize;
inline constexpr size_t MaxArgumentBytes = 128 * 1024;

struct InitialStack {
    uint64_t stack_pointer; // rsp at the entry point: the address of argc
    uint64_t argv;          // where argv[0]'s pointer is (for tests and /proc/PID/cmdline)
};

// Writes the stack below `top` (exclusive, page-aligned) in `space`, where a stack region must
// already be mapped. `random` gives AT_RANDOM's 16 bytes. E2BIG when the strings pass Linux's
// limits, EFAULT when the region is too small.
Result<InitialStack> build_initial_stack(AddressSpace& space, uint64_t top, StringList arguments,
                                         StringList environment, const char* file_name,
                                         const ImageFacts& image, const Credentials& credentials,
                                         const uint8_t (&random)[16]);

} // namespace tessera::posix
