// Which futex a word is (Linux's get_futex_key): two waits or wakes meet when their keys are
// equal. A word in a MAP_SHARED region is its page's frame and the offset in it, so processes
// that share the page (fork) meet whatever address each maps it at; any other word, and every
// FUTEX_PRIVATE_FLAG call, is the address space and the address (threads of one process meet;
// copy-on-write pages never join two processes' futexes).
#pragma once

#include <stdint.h>

#include "core/result.h"
#include "core/vm/address_space.h"

namespace tessera::posix {

struct FutexKey {
    const void* base = nullptr; // the AddressSpace, or null for a shared page
    uint64_t offset = 0;        // the address, or the word's bytes in the server (shared)
    friend bool operator==(const FutexKey&, const FutexKey&) = default;
};

// EINVAL for a word not 4-aligned; EFAULT for a shared word whose page cannot be read.
Result<FutexKey> futex_key(AddressSpace& space, uint64_t address, bool private_futex);

} // namespace tessera::posix
