// Loading the Linux guest of a bundle into guest RAM, for both VMMs (the root task's and the
// protection domain's): ACPI tables, the boot protocol's plan and writes, and the 64-bit entry
// state in the VCPU. The guest's memory (SetNPT) is the caller's: a root task binds its own, a
// protection domain's VCPU got it from the loader.
#pragma once

#include <sel4/sel4.h>
#include <tessera/libos/result.h>

#include "cpuid_policy.h"
#include "exit_storm.h"
#include "guest_bundle.h"
#include "linux_loader.h"
#include "vcpu_exit.h"

namespace tessera::services::vmm {

// The processor's own CPUID, which the policy filters for the guest.
struct ProcessorCpuid final : HostCpuid {
    CpuidRegisters query(uint32_t leaf, uint32_t subleaf) const override;
};

// Far above a booting Linux's exit rate (docs/vmm.md, "Exit storms").
inline constexpr ExitStormLimits LinuxExitStormLimits{1000000000, 2000000};

// The first entry (RIP, RSI) on success, after the VMM's line describing the guest; on an error
// `failed_step` names the step ("loading Linux"), as the VMM prints it before the error.
libos::Result<VcpuEntry> start_linux(seL4_CPtr vcpu, const GuestBundle& guest, GuestRam ram,
                                     const char*& failed_step);

} // namespace tessera::services::vmm
