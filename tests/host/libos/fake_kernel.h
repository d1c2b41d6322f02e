// A fake seL4 kernel for host tests of the library OS: it stands behind the generated client
// stubs (seL4_CallWithMRs and friends), records every invocation and answers with seL4's
// semantics where the libraries depend on them: retype into empty slots with the watermark rule,
// x86_64 paging that reports the missing level by FailedLookup, frames with contents.
#pragma once

#include <tessera/abi/abi.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace fake {

struct Cap {
    seL4_Word type = 0; // seL4 object type, or AsidPool
    uint64_t id = 0;    // object identity (copies share it)
    seL4_Word paddr = 0;
    seL4_Word size_bits = 0; // untyped bytes / CNode slots (log2)
    bool device = false;
    seL4_Word watermark = 0; // untyped only
    unsigned children = 0;   // untyped only
    seL4_Word parent = 0;    // root slot of the untyped it came from (0: none)
    bool mapped = false;     // frames and paging structures
    uint64_t vspace = 0;
    seL4_Word vaddr = 0;
    seL4_Word badge = 0;
};
constexpr seL4_Word AsidPool = 1000;

struct Invocation {
    seL4_CPtr dest;
    seL4_Word label;
    std::vector<seL4_Word> mr;
    std::vector<seL4_CPtr> caps;
};

struct Tcb {
    bool configured = false;
    seL4_Word fault_ep = 0, cspace = 0, cspace_data = 0, vspace = 0, buffer = 0, buffer_frame = 0;
    seL4_Word priority = 0;
    seL4_UserContext regs{};
    seL4_Word tls_base = 0; // from TCB_SetTLSBase
    bool resumed = false;
    bool suspended = false;
};

struct Kernel {
    std::map<seL4_Word, Cap> root;                              // root CNode slots
    std::map<std::pair<uint64_t, seL4_Word>, Cap> other_cnodes; // (CNode id, index)
    std::set<std::tuple<uint64_t, int, seL4_Word>> paging;      // (vspace, level 3/2/1, index)
    std::map<std::pair<uint64_t, seL4_Word>, uint64_t> pages;   // (vspace, vaddr) -> frame id
    std::map<uint64_t, std::vector<uint8_t>> frames;            // frame id -> 4 KiB contents
    std::map<uint64_t, Tcb> tcbs;
    std::vector<Invocation> log;
    std::vector<seL4_CPtr> signals;
    std::map<seL4_Word, seL4_Error> fail_label; // answer this label with this error, once
    bool self_is_host_memory = false;           // maps into the root VSpace alias real host memory
    uint64_t next_id = 100;
    seL4_Word root_size_bits = 16;

    unsigned count(seL4_Word label) const;
    const Cap* slot(seL4_Word cptr) const;
    // Bytes of a frame mapped in `vspace` at the page containing `vaddr` (empty if unmapped).
    std::vector<uint8_t> page_bytes(uint64_t vspace, seL4_Word vaddr) const;
};

extern Kernel kernel;

// A fresh kernel: root TCB in slot 1, root CNode 2, root VSpace 3 (ASID assigned), ASID pool 6.
void reset();
void add_untyped(seL4_Word slot, seL4_Word paddr, seL4_Word size_bits, bool device = false);
// The object identity of the root VSpace (what pages[] and paging[] are keyed by).
uint64_t root_vspace();

// Anonymous host memory at a fixed address range, for libraries that write through their own
// mappings (a thread's TLS block): with kernel.self_is_host_memory, root-VSpace mappings there
// are real memory. ok() is false when the range was already in use.
class HostRange {
public:
    HostRange(seL4_Word base, seL4_Word bytes);
    ~HostRange();
    HostRange(const HostRange&) = delete;
    HostRange& operator=(const HostRange&) = delete;
    bool ok() const { return ok_; }

private:
    seL4_Word base_, bytes_;
    bool ok_;
};

} // namespace fake
