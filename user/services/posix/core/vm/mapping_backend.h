// What the address-space logic needs from the machine: make, change and remove the hardware
// mapping of one frame in one process's page tables. On seL4 a mapping is a copy of the frame's
// capability mapped with X86_Page_Map; the host tests record mappings in a table.
#pragma once

#include <stdint.h>

#include "core/result.h"
#include "core/vm/frame.h"

namespace tessera::posix {

// The platform's handle of one hardware address space (opaque to the core).
struct HardwareSpace;

enum class Writable : uint8_t { No, Yes };

class MappingBackend {
public:
    virtual ~MappingBackend() = default;
    virtual Result<HardwareSpace*> create_space() = 0;
    // Frees the space's page tables and root; every mapping must be gone already.
    virtual void destroy_space(HardwareSpace* space) = 0;
    // Maps `frame` at `vaddr` and returns the mapping's handle (never 0). ENOMEM when the paging
    // structures or the capability slot cannot be had.
    virtual Result<uint64_t> map(HardwareSpace* space, uint64_t vaddr, Frame& frame,
                                 Writable writable) = 0;
    // Changes the rights of an existing mapping.
    virtual Result<void> protect(HardwareSpace* space, uint64_t vaddr, Frame& frame,
                                 uint64_t mapping, Writable writable) = 0;
    virtual void unmap(HardwareSpace* space, uint64_t vaddr, uint64_t mapping) = 0;
};

} // namespace tessera::posix
