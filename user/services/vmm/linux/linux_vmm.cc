// The Linux VMM protection domain (issue 24): one Linux guest on the VCPU the system gave this PD
// (a <virtual_machine> whose memory is the region guest_ram), booted from the guest bundle
// `tessera vm` prefilled into a region (guest_bundle_format.h). init() loads the guest and runs
// its exit loop to the end, never returning to the Microkit event loop: the loop takes the PD's
// notifications itself, from seL4_VMEnter and, while the guest halts, from a wait (PdHost). The
// run ends through QEMU's exit device: 0 the guest powered off, 1 it stopped or could not start,
// 2 it reset.
#include <microkit.h>
#include <sel4/tessera_svm.h>
#include <stdio.h>
#include <tessera/blk_client.h>
#include <tessera/serial_client.h>

#include "guest_clock.h"
#include "linux_guest.h"
#include "linux_start.h"
#include "pd_symbols.h"

namespace vmm = tessera::services::vmm;
namespace channel = vmm::linux_vmm_channel;

namespace {

constexpr microkit_child Vcpu = 0;
constexpr seL4_CPtr VcpuCap = BASE_VCPU_CAP + Vcpu;
constexpr uint32_t StatusStopped = 1;

// Attached without blocking (pd_symbols.h).
tessera_serial_client guest_client, vmm_client;
tessera_blk_client disk_client;

void notify_disk(void*) { microkit_notify(channel::Disk); }

[[noreturn]] void end(uint32_t status)
{
    const tessera_serial_client* clients[] = {&guest_client, &vmm_client};
    vmm::end_run(status, clients, 2);
}

[[noreturn]] void fail(const char* step, const tessera::libos::Error& error)
{
    printf("vmm: %s: %s (error %d)\n", step, error.what, int(error.code));
    end(StatusStopped);
}

// The block virtualiser's client, when the system gives one: null without a disk, or when the
// virtualiser has none for this client (its name says why).
vmm::GuestDisk* open_disk(vmm::GuestRam ram)
{
    if (blk_queue == 0)
        return nullptr;
    if (tessera_blk_client_init(&disk_client, reinterpret_cast<void*>(blk_queue),
                                tessera_blk_queue_capacity(blk_queue_size),
                                reinterpret_cast<void*>(blk_data), blk_data_size, notify_disk,
                                nullptr) != 0 ||
        !vmm::connect_disk(disk_client)) {
        printf("vmm: no disk for the guest: %s\n", tessera_blk_client_name(&disk_client));
        return nullptr;
    }
    const auto geometry = vmm::VirtioBlkDevice::plan(disk_client);
    if (!geometry) {
        printf("vmm: the disk: %s\n", geometry.error().what);
        return nullptr;
    }
    static vmm::GuestDisk disk{disk_client, ram, geometry.value()};
    printf("vmm: the guest's disk '%s': %lu MiB%s, virtio-blk at 00:01.0\n",
           tessera_blk_client_name(&disk_client),
           (unsigned long)(disk.device().capacity_sectors() >> 11),
           disk.device().read_only() ? ", read-only" : "");
    return &disk;
}

} // namespace

extern "C" void init(void)
{
    if (vmm::attach_vmm_serial(vmm_client, channel::VmmSerial))
        tessera_serial_client_use_for_stdio(&vmm_client);
    if (!vmm::attach_guest_serial(guest_client, channel::GuestSerial)) {
        printf("vmm: the guest's console: the serial rings are unusable\n");
        end(StatusStopped);
    }
    // The loader leaves the VCPU out on a kernel without SVM: its slot is empty.
    if (tessera_X86_SVMVCPU_ReadState(VcpuCap, TESSERA_SVMField_RIP).error != seL4_NoError) {
        printf("vmm: SVM guests are not available on this kernel; stopping\n");
        end(StatusStopped);
    }
    const auto clock = vmm::GuestClock::from_tsc_chunk(reinterpret_cast<const void*>(tsc_frequency),
                                                       tsc_frequency ? 4096 : 0);
    if (!clock)
        fail("guest time", clock.error());
    const auto guest = vmm::parse_guest_bundle(reinterpret_cast<const uint8_t*>(guest_bundle),
                                               guest_bundle_size);
    if (!guest)
        fail("the guest bundle", guest.error());
    const vmm::GuestRam ram{reinterpret_cast<uint8_t*>(guest_ram), guest_ram_size};
    const char* step = "";
    const auto first = vmm::start_linux(VcpuCap, guest.value(), ram, step);
    if (!first)
        fail(step, first.error());

    static vmm::HostTimer timer;
    if (const auto r = timer.attach(clock.value(), reinterpret_cast<volatile uint64_t*>(hpet_registers),
                                    BASE_IRQ_CAP + channel::Timer);
        !r)
        fail("the host timer", r.error());
    static vmm::SerialConsole console{guest_client};
    static vmm::Platform platform{console};
    vmm::GuestDisk* disk = open_disk(ram);
    if (disk != nullptr && !platform.attach_disk(disk->transport(), vmm::DiskBar))
        printf("vmm: the platform refused the disk\n");
    static vmm::ProcessorCpuid cpuid;
    static vmm::ExitStormGuard storm{vmm::LinuxExitStormLimits};
    static vmm::ExitHandler handler{platform, ram, cpuid, storm, 0};
    vmm::PdHost host{timer, platform, console, disk};
    // The guest reads this same TSC (no TSC offset), so its own TSC readings count from here:
    // bench/vmm's boot figure is its init's first reading minus this one (instructions under
    // -icount shift=0; docs/vmm.md, "Benchmarks").
    printf("vmm: entering the guest at TSC %llu\n", (unsigned long long)__builtin_ia32_rdtsc());
    const vmm::GuestEnd end_of_guest =
        vmm::run_guest(VcpuCap, handler, platform, clock.value(), host, first.value());
    console.idle();
    if (console.dropped_bytes() != 0)
        printf("vmm: %lu bytes of the guest's console were lost to a full ring\n",
               (unsigned long)console.dropped_bytes());
    end(uint32_t(vmm::report_guest_end(end_of_guest, handler.exits())));
}

// Never called: init() runs the guest to the end and does not return.
extern "C" void notified(microkit_channel) {}
