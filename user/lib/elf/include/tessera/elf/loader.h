// Loading an ELF image into a new address space and starting its first thread there, with its
// own CSpace, stack, IPC buffer and fault endpoint.
#pragma once

#include <tessera/elf/image.h>
#include <tessera/vspace/vspace.h>

namespace tessera::elf {

using alloc::Object;
using libos::CPtr;
using libos::SizeBits;

// A new PML4 with an ASID from `asid_pool`, ready to be managed by a vspace::VSpace.
Result<Object> new_address_space(alloc::ObjectAllocator& objects, CPtr asid_pool);

// Copies every segment into fresh frames mapped in `target` (read-only unless the segment is
// writable; the rest of the last page and the .bss are zero). Each frame is filled through the
// one-page `window` of the loader's own address space `self`, which the caller has reserved.
// The frames belong to `target` and are freed with its mappings.
Result<void> load_segments(alloc::ObjectAllocator& objects, const Image& image,
                           vspace::VSpace& target, vspace::VSpace& self, VAddr window);

// Slots of the new CSpace that the loader fills, named as seL4 names the root task's.
constexpr seL4_Word ChildTcbSlot = seL4_CapInitThreadTCB;
constexpr seL4_Word ChildCNodeSlot = seL4_CapInitThreadCNode;
constexpr seL4_Word ChildVSpaceSlot = seL4_CapInitThreadVSpace;
constexpr seL4_Word ChildIpcBufferSlot = seL4_CapInitThreadIPCBuffer;
constexpr seL4_Word ChildFaultEndpointSlot = seL4_NumInitialCaps; // first slot after seL4's

// Where a new thread finds its IPC buffer, stack and capabilities.
enum class Layout : uint8_t {
    // A library OS process: the slots above (TCB, CNode, VSpace, IPC buffer, fault endpoint);
    // guard page, IPC buffer, guard page and stack above the image; rsi = the IPC buffer.
    LibraryOs,
    // A Microkit protection domain's (docs/system-description.md): its CSpace holds only the
    // fault endpoint, at MicrokitFaultEndpointSlot (the caller fills the Microkit slots); the
    // stack ends at MicrokitStackTop, the IPC buffer is one guard page below the stack;
    // rdi = the IPC buffer.
    Microkit,
};
constexpr seL4_Word MicrokitFaultEndpointSlot = 2;          // spec.h TESSERA_PD_SLOT_FAULT_ENDPOINT
constexpr seL4_Word MicrokitStackTop = 0x00007ffffffff000;  // spec.h TESSERA_PD_STACK_TOP

struct ProcessConfig {
    Layout layout = Layout::LibraryOs;
    CPtr fault_endpoint = libos::NullCap; // in the loader's CSpace; minted with fault_badge
    seL4_Word fault_badge = 0;
    seL4_Word priority = 254;
    CPtr priority_authority{seL4_CapInitThreadTCB};
    SizeBits cnode_slot_bits{10};
    seL4_Word stack_pages = 16;
    // false: the thread is left ready but suspended, for a caller that has more to check or give
    // before it runs (seL4_TCB_Resume starts it).
    bool resume = true;
};

// The objects of a started process. The CNode and TCB are the caller's to free; the IPC buffer
// frame, like the stack and image frames, belongs to the target VSpace and goes with its pages.
struct Process {
    Object cnode;
    Object tcb;
    Object ipc_frame;
    VAddr entry;
    VAddr ipc_buffer;
    VAddr stack_top;
};

// Loads `image` into `target` (whose root is `vspace_root`) and starts its thread (unless
// config.resume is false): entry at the ELF entry point, rsp at the top of a stack with an
// unmapped guard page below it. LibraryOs layout: rdi = 0 (no BootInfo), rsi = the IPC buffer's
// address; above the image: guard page, IPC buffer, guard page, stack. Microkit layout: see
// Layout.
Result<Process> start_process(alloc::ObjectAllocator& objects, const Image& image,
                              const Object& vspace_root, vspace::VSpace& target,
                              vspace::VSpace& self, VAddr window, const ProcessConfig& config);

// Stops and tears down a process: deletes its TCB (which stops it) and CNode (with the
// capabilities inside), unmaps and frees every page and paging structure of `target`, and frees
// the address space's root.
Result<void> destroy_process(alloc::ObjectAllocator& objects, const Process& process,
                             const Object& vspace_root, vspace::VSpace& target);

} // namespace tessera::elf
