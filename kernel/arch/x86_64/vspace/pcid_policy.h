// Which TLB entries a change of the page tables makes stale, and how each is dropped, with and
// without PCIDs (Intel SDM vol. 3A, 4.10: process-context identifiers). Pure decisions, no
// instructions: tlb.cc executes them, and host tests check them.
//
// seL4's scheme: an address space's PCID is its ASID (12 bits on x86_64; ASID 0 is never
// assigned, so PCID 0 is the kernel's own space), CR3 loads keep the new PCID's entries (bit 63),
// a change in another address space is dropped with INVPCID; without INVPCID that address space
// is marked stale and its next CR3 load flushes it.
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

enum class TlbFlush {
    None,            // nothing cached can be stale
    CurrentAddress,  // invlpg: one address of the current address space
    CurrentSpace,    // reload CR3 without bit 63: every entry of the current address space
    OtherAddress,    // INVPCID type 0: one address of another PCID
    OtherSpace,      // INVPCID type 1: every entry of another PCID
    Deferred,        // marked stale: its next CR3 load flushes it
};

class PcidPolicy {
public:
    static constexpr unsigned PcidBits = 12;
    static constexpr uint64_t PcidMask = (uint64_t{1} << PcidBits) - 1;
    static constexpr uint64_t KeepEntries = uint64_t{1} << 63; // CR3 bit 63: no flush on load

    constexpr PcidPolicy(bool pcid, bool invpcid) : tagged_(pcid), invpcid_(pcid && invpcid) {}

    constexpr bool is_tagged() const { return tagged_; }

    // The root a thread of `asid` runs on: the PML4 with the ASID as PCID when tagging is on.
    constexpr uint64_t tagged_root(uint64_t pml4, uint64_t asid) const
    {
        return tagged_ ? pml4 | (asid & PcidMask) : pml4;
    }

    // The CR3 value that switches to `root` (from tagged_root); clears its stale mark.
    constexpr uint64_t cr3_for_switch(uint64_t root)
    {
        if (!tagged_)
            return root;
        const uint64_t pcid = root & PcidMask;
        if (is_stale(pcid)) {
            stale_[pcid / 64] &= ~(uint64_t{1} << (pcid % 64));
            return root;
        }
        return root | KeepEntries;
    }

    // One translation of `asid` changed (a frame unmapped or remapped).
    constexpr TlbFlush address_changed(uint64_t asid, bool is_current)
    {
        if (is_current)
            return TlbFlush::CurrentAddress;
        return other_space(asid, TlbFlush::OtherAddress);
    }

    // A paging structure of `asid` was unlinked: every cached translation through it is stale.
    constexpr TlbFlush space_changed(uint64_t asid, bool is_current)
    {
        if (is_current)
            return TlbFlush::CurrentSpace;
        return other_space(asid, TlbFlush::OtherSpace);
    }

    // `asid` no longer names its PML4 (the PML4 or its pool was deleted) and may be assigned
    // again: nothing it cached may survive into the next address space with that ASID.
    constexpr TlbFlush asid_released(uint64_t asid)
    {
        if (!tagged_)
            return TlbFlush::None; // any CR3 load flushes; the caller leaves a current root
        return other_space(asid, TlbFlush::OtherSpace);
    }

    constexpr bool is_stale(uint64_t pcid) const { return (stale_[pcid / 64] >> (pcid % 64)) & 1; }

private:
    // Without tags a CR3 load drops every entry of the space being left, so nothing else does.
    constexpr TlbFlush other_space(uint64_t asid, TlbFlush with_invpcid)
    {
        if (!tagged_)
            return TlbFlush::None;
        if (invpcid_)
            return with_invpcid;
        const uint64_t pcid = asid & PcidMask;
        stale_[pcid / 64] |= uint64_t{1} << (pcid % 64);
        return TlbFlush::Deferred;
    }

    bool tagged_;
    bool invpcid_;
    uint64_t stale_[(uint64_t{1} << PcidBits) / 64] = {};
};

} // namespace tessera::x86_64
