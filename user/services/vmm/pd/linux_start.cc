#include "linux_start.h"

#include <stdio.h>

#include "acpi_tables.h"
#include "guest_run.h"
#include "linux_loader.h"

namespace tessera::services::vmm {
namespace {

constexpr uint64_t AcpiAddress = guest_layout::BiosStart;

} // namespace

CpuidRegisters ProcessorCpuid::query(uint32_t leaf, uint32_t subleaf) const
{
    CpuidRegisters r{};
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

libos::Result<VcpuEntry> start_linux(seL4_CPtr vcpu, const GuestBundle& guest, GuestRam ram,
                                     const char*& failed_step)
{
    const auto acpi = write_acpi_tables(AcpiConfig{1}, ram.data + AcpiAddress, AcpiAddress);
    if (!acpi)
        return failed_step = "ACPI tables", acpi.error();
    const LinuxBootFiles files{guest.kernel, guest.initrd, guest.command_line, acpi.value().rsdp};
    const auto plan = plan_linux_boot(files, ram.size);
    if (!plan)
        return failed_step = "loading Linux", plan.error();
    write_linux_boot(plan.value(), files, ram);
    if (const auto r = set_linux_entry_state(vcpu, plan.value()); !r)
        return failed_step = "the entry state", r.error();
    printf("vmm: Linux %u.%02u boot protocol, %lu MiB RAM, kernel at 0x%lx, command line \"%s\"\n",
           unsigned(plan.value().header.version >> 8), unsigned(plan.value().header.version & 0xff),
           (unsigned long)(ram.size >> 20), (unsigned long)plan.value().kernel_address,
           guest.command_line);
    VcpuEntry first{};
    first.rip = plan.value().entry_rip;
    first.registers.gpr[reg::Rsi] = plan.value().entry_rsi;
    return first;
}

} // namespace tessera::services::vmm
