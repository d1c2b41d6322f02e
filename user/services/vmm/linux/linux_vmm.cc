// The Linux VMM protection domain (issue 24): one Linux guest on the VCPU the system gave this PD
// (a <virtual_machine> whose memory is the region guest_ram), booted from the guest bundle
// `tessera vm` prefilled into a region (guest_bundle_format.h). init() loads the guest and runs
// its exit loop to the end, never returning to the Microkit event loop: the loop takes the PD's
// notifications itself, from seL4_VMEnter and, while the guest halts, from a wait (PdHost). The
// run ends through QEMU's exit device: 0 the guest powered off, 1 it stopped or could not start,
// 2 it reset.
#include <microkit.h>
#include <new>
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
tessera_blk_client disk_clients[vmm::MaxDisks];

void notify_disk(void* index) { microkit_notify(channel::Disk + microkit_channel(uintptr_t(index))); }

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

// Disk `index`'s block-virtualiser client, when the system gives one: null without that disk,
// or when the virtualiser has none for this client (its name says why). At PCI slot index + 1
// once the platform takes it, in order.
vmm::GuestDisk* open_disk(unsigned index, vmm::GuestRam ram)
{
    const vmm::DiskRegions regions = vmm::disk_regions(index);
    if (regions.queue == 0)
        return nullptr;
    tessera_blk_client& client = disk_clients[index];
    if (tessera_blk_client_init(&client, reinterpret_cast<void*>(regions.queue),
                                tessera_blk_queue_capacity(regions.queue_size),
                                reinterpret_cast<void*>(regions.data), regions.data_size,
                                notify_disk, reinterpret_cast<void*>(uintptr_t(index))) != 0 ||
        !vmm::connect_disk(client)) {
        printf("vmm: no disk %u for the guest: %s\n", index, tessera_blk_client_name(&client));
        return nullptr;
    }
    const auto geometry = vmm::VirtioBlkDevice::plan(client);
    if (!geometry) {
        printf("vmm: disk %u: %s\n", index, geometry.error().what);
        return nullptr;
    }
    // GuestDisk holds references into guest RAM and the client: made in place, once each.
    alignas(vmm::GuestDisk) static uint8_t storage[vmm::MaxDisks][sizeof(vmm::GuestDisk)];
    return new (storage[index]) vmm::GuestDisk{client, ram, geometry.value()};
}

// Every disk the system gives, each on the next PCI slot: disks[N] is channel Disk + N's.
void attach_disks(vmm::Platform& platform, vmm::GuestRam ram, vmm::GuestDisk* (&disks)[vmm::MaxDisks])
{
    for (unsigned i = 0; i < vmm::MaxDisks; i++) {
        vmm::GuestDisk* disk = open_disk(i, ram);
        if (disk == nullptr)
            continue;
        const unsigned slot = vmm::Platform::DiskSlot + platform.disks();
        if (!platform.attach_disk(disk->transport(), vmm::disk_bar(platform.disks()))) {
            printf("vmm: the platform refused disk %u\n", i);
            continue;
        }
        disks[i] = disk;
        printf("vmm: the guest's disk '%s': %lu MiB%s, virtio-blk at 00:%02x.0\n",
               tessera_blk_client_name(&disk_clients[i]),
               (unsigned long)(disk->device().capacity_sectors() >> 11),
               disk->device().read_only() ? ", read-only" : "", slot);
    }
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
    vmm::GuestDisk* disks[vmm::MaxDisks] = {};
    attach_disks(platform, ram, disks);
    static vmm::ProcessorCpuid cpuid;
    vmm::ExitStormLimits limits{};
    if (!vmm::parse_exit_storm_limit(exit_storm_limit, vmm::LinuxExitStormLimits, limits)) {
        printf("vmm: the exit limit '%s' is not a number of exits per second\n", exit_storm_limit);
        end(StatusStopped);
    }
    if (limits.exits_per_window != vmm::LinuxExitStormLimits.exits_per_window)
        printf("vmm: at most %llu exits per second of guest time\n",
               (unsigned long long)limits.exits_per_window);
    static vmm::ExitStormGuard storm{limits};
    static vmm::ExitHandler handler{platform, ram, cpuid, storm, 0};
    vmm::PdHost host{timer, platform, console, disks};
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
