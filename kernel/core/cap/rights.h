// Access rights. CapRights is the seL4_CapRights_t word a user passes to Copy/Mint; VmRights is
// the kernel's per-frame mapping right derived from it (seL4 manual, "Capability Rights").
#pragma once

#include <tessera/abi/rights.h>

#include "base/field.h"
#include "base/types.h"

namespace tessera::core {

class CapRights {
public:
    // The seL4_CapRights_t word; bits above the four rights are ignored.
    using Write = Field<TESSERA_RIGHTS_WRITE_BIT, 1>;
    using Read = Field<TESSERA_RIGHTS_READ_BIT, 1>;
    using Grant = Field<TESSERA_RIGHTS_GRANT_BIT, 1>;
    using GrantReply = Field<TESSERA_RIGHTS_GRANT_REPLY_BIT, 1>;

    static constexpr CapRights from_word(Word word) { return CapRights{word & AllMask}; }
    static constexpr CapRights all() { return CapRights{AllMask}; }
    static constexpr CapRights none() { return CapRights{0}; }

    constexpr bool allows_write() const { return Write::get(bits_) != 0; }
    constexpr bool allows_read() const { return Read::get(bits_) != 0; }
    constexpr bool allows_grant() const { return Grant::get(bits_) != 0; }
    constexpr bool allows_grant_reply() const { return GrantReply::get(bits_) != 0; }
    constexpr Word word() const { return bits_; }

    constexpr CapRights operator&(CapRights other) const { return CapRights{bits_ & other.bits_}; }
    constexpr bool operator==(const CapRights&) const = default;

private:
    static constexpr Word AllMask = Write::mask | Read::mask | Grant::mask | GrantReply::mask;
    constexpr explicit CapRights(Word bits) : bits_(bits) {}
    Word bits_;
};

// How a frame may be mapped; the numbering is the kernel's own (seL4's vm_rights_t).
enum class VmRights : Word { KernelOnly = 1, ReadOnly = 2, ReadWrite = 3 };

// seL4's maskVMRights: rights only shrink; write without read is not a mapping x86 can express.
constexpr VmRights mask_vm_rights(VmRights rights, CapRights mask)
{
    if (rights == VmRights::ReadOnly && mask.allows_read())
        return VmRights::ReadOnly;
    if (rights == VmRights::ReadWrite && mask.allows_read())
        return mask.allows_write() ? VmRights::ReadWrite : VmRights::ReadOnly;
    return VmRights::KernelOnly;
}

} // namespace tessera::core
