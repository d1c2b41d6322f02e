// The VMM's exit loop body: one SVM exit in, the next entry (or why the guest stops) out. Every
// exit the kernel passes on is either served (CPUID through the policy, ports and MMIO through the
// platform, MSRs, HLT, VMMCALL), turned into an event for the guest (#GP for an MSR nobody
// answers), or stops the guest with a reason; nothing is guessed. Then pending interrupts are
// injected, or an interrupt window is asked for. Portable: the protection domain supplies time.
#pragma once

#include "cpuid_policy.h"
#include "exit_storm.h"
#include "linux_loader.h"
#include "platform.h"
#include "vcpu_exit.h"

#include <stdint.h>

namespace tessera::services::vmm {

enum class ExitAction : uint8_t {
    Resume,   // enter again at once
    Halt,     // the guest halted: enter again at the next platform deadline or device event
    PowerOff, // ACPI S5
    Reset,    // 0xcf9 or a reset request
    Stop,     // the guest cannot go on: `reason` says why
};

struct ExitOutcome {
    ExitAction action;
    const char* reason; // for Stop (and a line in the VMM's log); null otherwise
};

class ExitHandler {
public:
    ExitHandler(Platform& platform, GuestRam ram, const HostCpuid& host, ExitStormGuard& storm,
                uint32_t apic_id);

    // Serves `exit` at guest time `now_ns`; `entry` is where and how to continue.
    ExitOutcome handle(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry);

    // Before an entry without an exit to serve (after a halt, or a timer): pending interrupts.
    void inject_pending(const VcpuExit& last, uint64_t now_ns, VcpuEntry& entry);

    uint64_t exits() const { return exits_; }

private:
    ExitOutcome serve(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry);
    ExitOutcome serve_cpuid(const VcpuExit& exit, VcpuEntry& entry);
    ExitOutcome serve_msr(const VcpuExit& exit, VcpuEntry& entry);
    ExitOutcome serve_efer(const VcpuExit& exit, size_t length, VcpuEntry& entry);
    ExitOutcome serve_pat(const VcpuExit& exit, size_t length, VcpuEntry& entry);
    ExitOutcome serve_io(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry);
    ExitOutcome serve_nested_fault(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry);
    // The length of the intercepted instruction at RIP, 0 when the bytes there are not it.
    size_t instruction_length(const VcpuExit& exit);

    Platform& platform_;
    GuestRam ram_;
    const HostCpuid& host_;
    ExitStormGuard& storm_;
    uint32_t apic_id_;
    uint64_t exits_ = 0;
    uint64_t pat_ = PatReset; // what the guest last wrote to its PAT (the VCPU holds it too)

public:
    static constexpr uint64_t PatReset = 0x0007040600070406; // WB WT UC- UC, twice
};

} // namespace tessera::services::vmm
