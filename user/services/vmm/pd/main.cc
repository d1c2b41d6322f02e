// The VMM protection domain (issue 24): one Linux guest on one SVM VCPU. Makes the VCPU and the
// guest's RAM, loads the guest `tessera vm` embedded in this image (guest_bundle_format.h) by the
// x86 boot protocol
// with ACPI tables, and runs the exit loop until the guest powers off. The guest's COM1 is the
// kernel's console: output through seL4_DebugPutChar, input polled (console_input.h). On a kernel without SVM VCPUs
// (seL4's, or a CPU without SVM and nested paging) it says so and stops. Status: 0 the guest
// powered off, 1 it could not start or stopped, 2 it reset.
#include <sel4/sel4.h>
#include <sel4/tessera_svm.h>
#include <stdint.h>
#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/runtime.h>

#include "embedded_guest.h"
#include "exit_handler.h"
#include "guest_bundle.h"
#include "guest_clock.h"
#include "guest_ram.h"
#include "guest_run.h"
#include "console_input.h"
#include "host_timer.h"
#include "linux_start.h"

namespace vmm = tessera::services::vmm;

namespace {

struct DebugConsole final : vmm::ByteSink {
    void transmit(uint8_t byte) override { seL4_DebugPutChar(char(byte)); }
};

// A root task of its own: the HPET it took wakes it, and the kernel's console, polled, is the
// guest's input.
class RootTaskHost final : public vmm::GuestHost {
public:
    RootTaskHost(vmm::HostTimer& timer, vmm::Platform& platform) : timer_(timer), platform_(platform) {}

    bool poll(uint64_t now_ns) override { return input_.poll(platform_.uart(), now_ns); }
    bool arm(uint64_t deadline_ns) override
    {
        const uint64_t poll = input_.next_poll_ns();
        return timer_.arm(deadline_ns < poll ? deadline_ns : poll);
    }
    void notified(seL4_Word, uint64_t) override { timer_.acknowledge(); }
    seL4_Word wait() override
    {
        seL4_Word badge = 0;
        seL4_Wait(timer_.notification(), &badge);
        return badge;
    }

private:
    vmm::HostTimer& timer_;
    vmm::Platform& platform_;
    vmm::ConsoleInput input_;
};

int fail(const char* step, const tessera::libos::Error& error)
{
    printf("vmm: %s: %s (error %d)\n", step, error.what, int(error.code));
    return 1;
}

// The guest `tessera vm` embedded, checked.
tessera::libos::Result<vmm::GuestBundle> embedded_bundle()
{
    const vmm::EmbeddedGuest embedded = vmm::embedded_guest();
    if (embedded.size == 0)
        return tessera::libos::make_error(seL4_InvalidArgument,
                                          "no guest: boot this image through tessera vm");
    return vmm::parse_guest_bundle(embedded.data, embedded.size);
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    if (tessera_alloc_init(bi) != seL4_NoError) {
        printf("vmm: allocator set-up failed\n");
        return 1;
    }
    tessera_object_t object;
    const seL4_Error made = tessera_alloc_object(TESSERA_X86_SVMVCPUObject, 0, &object);
    if (made == seL4_InvalidArgument) {
        printf("vmm: SVM guests are not available on this kernel; stopping\n");
        return 1;
    }
    if (made != seL4_NoError) {
        printf("vmm: no memory for a VCPU (error %d)\n", int(made));
        return 1;
    }
    const seL4_CPtr vcpu = object.cptr;
    if (const auto r = tessera::libos::check(
            tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadTCB), "SetTCB");
        !r)
        return fail("binding the VCPU", r.error());
    const auto clock = vmm::GuestClock::from_boot_info(*bi);
    if (!clock)
        return fail("guest time", clock.error());

    const auto guest = embedded_bundle();
    if (!guest)
        return fail("the guest in this image", guest.error());
    const auto memory = vmm::make_guest_ram(guest.value().memory_bytes);
    if (!memory)
        return fail("guest RAM", memory.error());
    const vmm::GuestRam ram = memory.value().ram;
    if (const auto r =
            tessera::libos::check(tessera_X86_SVMVCPU_SetNPT(vcpu, memory.value().npt), "SetNPT");
        !r)
        return fail("giving the VCPU its memory", r.error());
    const char* step = "";
    const auto first = vmm::start_linux(vcpu, guest.value(), ram, step);
    if (!first)
        return fail(step, first.error());

    static vmm::HostTimer timer;
    if (const auto r = timer.init(clock.value(), vmm::HostDeviceWindow); !r)
        return fail("the host timer", r.error());

    DebugConsole console;
    static vmm::Platform platform{console};
    vmm::ProcessorCpuid cpuid;
    vmm::ExitStormGuard storm{vmm::LinuxExitStormLimits};
    vmm::ExitHandler handler{platform, ram, cpuid, storm, 0};
    RootTaskHost host{timer, platform};
    const vmm::GuestEnd end = vmm::run_guest(vcpu, handler, platform, clock.value(), host, first.value());
    return vmm::report_guest_end(end, handler.exits());
}
