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

#include "acpi_tables.h"
#include "embedded_guest.h"
#include "exit_handler.h"
#include "guest_bundle.h"
#include "guest_clock.h"
#include "guest_ram.h"
#include "guest_run.h"
#include "host_timer.h"

namespace vmm = tessera::services::vmm;

namespace {

constexpr uint64_t AcpiAddress = vmm::guest_layout::BiosStart;

struct ProcessorCpuid final : vmm::HostCpuid {
    vmm::CpuidRegisters query(uint32_t leaf, uint32_t subleaf) const override
    {
        vmm::CpuidRegisters r{};
        asm volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
        return r;
    }
};

struct DebugConsole final : vmm::ByteSink {
    void transmit(uint8_t byte) override { seL4_DebugPutChar(char(byte)); }
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
    const vmm::ImageBytes kernel = guest.value().kernel;
    const char* command_line = guest.value().command_line;
    const auto memory = vmm::make_guest_ram(guest.value().memory_bytes);
    if (!memory)
        return fail("guest RAM", memory.error());
    const vmm::GuestRam ram = memory.value().ram;
    const auto acpi =
        vmm::write_acpi_tables(vmm::AcpiConfig{1}, ram.data + AcpiAddress, AcpiAddress);
    if (!acpi)
        return fail("ACPI tables", acpi.error());
    const vmm::LinuxBootFiles files{kernel, guest.value().initrd, command_line, acpi.value().rsdp};
    const auto plan = vmm::plan_linux_boot(files, ram.size);
    if (!plan)
        return fail("loading Linux", plan.error());
    vmm::write_linux_boot(plan.value(), files, ram);
    if (const auto r =
            tessera::libos::check(tessera_X86_SVMVCPU_SetNPT(vcpu, memory.value().npt), "SetNPT");
        !r)
        return fail("giving the VCPU its memory", r.error());
    if (const auto r = vmm::set_linux_entry_state(vcpu, plan.value()); !r)
        return fail("the entry state", r.error());
    printf("vmm: Linux %u.%02u boot protocol, %lu MiB RAM, kernel at 0x%lx, command line \"%s\"\n",
           unsigned(plan.value().header.version >> 8), unsigned(plan.value().header.version & 0xff),
           (unsigned long)(ram.size >> 20), (unsigned long)plan.value().kernel_address,
           command_line);

    static vmm::HostTimer timer;
    if (const auto r = timer.init(clock.value(), vmm::HostDeviceWindow); !r)
        return fail("the host timer", r.error());

    DebugConsole console;
    static vmm::Platform platform{console};
    ProcessorCpuid host;
    vmm::ExitStormGuard storm{{1000000000, 2000000}};
    vmm::ExitHandler handler{platform, ram, host, storm, 0};
    vmm::VcpuEntry first{};
    first.rip = plan.value().entry_rip;
    first.registers.gpr[vmm::reg::Rsi] = plan.value().entry_rsi;
    vmm::ConsoleInput input;
    const vmm::GuestEnd end =
        vmm::run_guest(vcpu, handler, platform, clock.value(), timer, input, first);
    switch (end.action) {
    case vmm::ExitAction::PowerOff:
        printf("vmm: the guest powered off after %lu exits\n", (unsigned long)handler.exits());
        return 0;
    case vmm::ExitAction::Reset:
        printf("vmm: the guest reset itself after %lu exits\n", (unsigned long)handler.exits());
        return 2; // not a clean end: Linux resets after a panic (panic=-1)
    default:
        printf("vmm: the guest stopped at RIP 0x%lx after %lu exits: %s\n", (unsigned long)end.rip,
               (unsigned long)handler.exits(), end.reason ? end.reason : "(no reason)");
        return 1;
    }
}
