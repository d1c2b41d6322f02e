// What loading a spec takes from the machine: memory, capability slots and ASIDs. Computed from
// the spec alone, so that the boot-time loader (before it creates anything) and `tessera check`
// (before anything boots) reach the same numbers and the same verdict.
#pragma once

#include "tessera/spec_reader.h"

namespace tessera::spec {

// seL4 x86_64 (seL4_NumASIDPoolsBits 3, seL4_ASIDPoolIndexBits 9): 8 pools of 512 ASIDs. ASID 0
// is never given out and the loader's own address space keeps one, so a system's protection
// domains may have the rest.
inline constexpr uint32_t AsidPoolCount = 8;
inline constexpr uint32_t AsidsPerPool = 512;
inline constexpr uint32_t MaxSystemAddressSpaces = AsidPoolCount * AsidsPerPool - 2;

// The loader keeps at most this many bytes of tables per object of the spec (its object
// record, first and last use, kind) and per MAP_FRAME op (the slot of a frame copy).
inline constexpr uint64_t LoaderTableBytesPerObject = 32;
inline constexpr uint64_t LoaderTableBytesPerMapping = 4;
// Tables up to this size live on the loader's heap (part of its image); larger ones in 2 MiB
// pages the loader maps for them.
inline constexpr uint64_t LoaderHeapTableLimit = 256 * 1024;
// Capability slots the loader uses besides the system's objects: untyped chunks its allocator
// splits off (at most its 512 records), temporary slots, ASID pools, its window's tables.
inline constexpr uint32_t LoaderSpareSlots = 512 + 64;

// The machine as the loader finds it. The loader reads it from its BootInfo; the tool estimates
// it from the loader file it embeds the image in.
struct LoaderStart {
    uint32_t root_cnode_bits = 12; // the kernel's root CNode (12 on seL4 x86_64 and on Tessera)
    uint32_t boot_slots = 0;       // slots in use at boot (BootInfo.empty.start)
    uint32_t image_slots = 0;      // the loader's own frames and paging structures
    uint64_t unpacked_image_bytes = 0; // a packed image unpacked into memory (0: read in place)
};

struct LoadPlan {
    uint32_t objects = 0;
    uint32_t address_spaces = 0;    // ASSIGN_ASID ops: one per protection domain
    uint32_t frame_copies = 0;      // capabilities for further mappings of a frame, at most
    uint32_t peak_capabilities = 0; // the system's capabilities the loader holds at once
    uint32_t contiguous_runs = 0;   // physically contiguous regions (each keeps an untyped)
    uint32_t run_frames = 0;        // their frames, all held from the run's first use on
    uint32_t cspace_bits = 0;       // the loader's CSpace root: the kernel's or one it grows
    uint32_t vault_bits = 0;        // the vault that keeps the system's capabilities
    uint32_t asid_pools = 0;        // ASID pools the loader makes besides the kernel's first
    uint64_t table_bytes = 0;       // RAM mapped for the loader's tables (0: on its heap)
    uint64_t object_bytes = 0;      // RAM of the system's objects (regions, stacks, programs, ...)
    uint64_t loader_bytes = 0;      // RAM the loader takes itself: CSpace, vault, pools, tables

    uint64_t total_bytes() const { return object_bytes + loader_bytes; }
    bool fits_asids() const { return address_spaces <= MaxSystemAddressSpaces; }
};

// Bytes of the loader's tables for a spec of `objects` objects and `map_frames` MAP_FRAME ops.
uint64_t loader_table_bytes(uint32_t objects, uint32_t map_frames);

// No op uses the object.
inline constexpr uint32_t NoUse = UINT32_MAX;

// Plans the load of `spec`. `last_use` is the caller's scratch of spec.object_count() words; on
// return last_use[i] is the last op using object i, or NoUse (the loader keeps it). The peak
// follows the loader's rule: an object is created at its first use (at its CREATE_OBJECT when
// nothing uses it) and given to the vault right after its last.
LoadPlan plan_load(const SpecView& spec, const LoaderStart& start, uint32_t* last_use);

// RAM an object of the spec takes, in bytes; 0 for a device frame (not RAM) or an IRQ handler.
uint64_t object_bytes(const struct tessera_op_create_object& op);

} // namespace tessera::spec
