// The guest's PC platform: the emulated devices wired together and the dispatch of I/O-port and
// MMIO exits to them. ISA interrupts reach the I/O APIC as on a PC with the MADT's overrides (COM1
// on GSI 4, the PIT's IRQ 0 on GSI 2, the SCI on GSI 9, level), and the I/O APIC delivers to the
// local APIC. Ports nobody decodes read all ones and ignore writes, as an empty ISA bus does;
// they are counted, so that the VMM can report a guest probing wildly.
#pragma once

#include "acpi_pm.h"
#include "io_apic.h"
#include "local_apic.h"
#include "pci_config.h"
#include "pic_8259.h"
#include "pit_8254.h"
#include "uart_16550.h"
#include "virtio_pci_transport.h"

#include <stdint.h>

namespace tessera::services::vmm {

enum class AccessKind : uint8_t { Read, Write };

struct IoOutcome {
    uint32_t value;   // what a read returns (size bytes)
    PowerEvent power; // a write that powered off or reset the machine
    bool decoded;     // some device claims the port (or the address)
};

class Platform {
public:
    // `console` receives the guest's serial output.
    explicit Platform(ByteSink& console);

    IoOutcome port_io(AccessKind kind, uint16_t port, unsigned size, uint32_t value,
                      uint64_t now_ns);
    // Guest-physical MMIO (the LAPIC and I/O APIC windows). Not decoded: reads all ones.
    IoOutcome mmio(AccessKind kind, uint64_t address, unsigned size, uint64_t value,
                   uint64_t now_ns);

    // Brings interrupt lines up to date at `now_ns` (timers, UART, SCI); then the local APIC
    // says what to inject. The earliest timer deadline tells the VMM when to come back.
    void update_interrupts(uint64_t now_ns);
    uint64_t next_deadline_ns(uint64_t now_ns) const;

    // Puts a virtio disk at the next PCI slot from DiskSlot up (the first at 00:01.0, the second
    // at 00:02.0, ...) as firmware would leave it: BAR 0 at `bar` (inside the root bridge's memory
    // window, pci_config.h; the caller keeps the disks' BARs apart), memory decoding on, INTA on
    // the GSI the DSDT's _PRT names for that slot (also in the interrupt line register). False
    // when MaxDisks are there.
    static constexpr unsigned DiskSlot = 1;
    static constexpr unsigned MaxDisks = 4;
    static_assert(MaxDisks <= 4, "beyond four slots the _PRT swizzle repeats GSIs");
    bool attach_disk(VirtioPciTransport& disk, uint64_t bar);
    unsigned disks() const { return disk_count_; }

    Uart16550& uart() { return uart_; }
    LocalApic& local_apic() { return local_apic_; }
    IoApic& io_apic() { return io_apic_; }
    PciBus& pci() { return pci_; }
    AcpiPm& acpi_pm() { return acpi_pm_; }
    uint64_t undecoded_accesses() const { return undecoded_; }

private:
    // The local APIC receives the I/O APIC's messages through this forwarder, because the two
    // refer to each other (EOIs flow back).
    struct ToLocalApic final : InterruptSink {
        LocalApic* target = nullptr;
        void deliver(const InterruptMessage& message) override { target->deliver(message); }
    };

    VirtioPciTransport* disk_at(uint64_t address) const; // the disk whose BAR holds it, or null

    ToLocalApic to_local_apic_;
    IoApic io_apic_;
    LocalApic local_apic_;
    Uart16550 uart_;
    Pit8254 pit_;
    Pic8259Pair pic_;
    AcpiPm acpi_pm_;
    PciBus pci_;
    VirtioPciTransport* disks_[MaxDisks] = {};
    uint8_t disk_irqs_[MaxDisks] = {};
    unsigned disk_count_ = 0;
    uint64_t undecoded_ = 0;
};

} // namespace tessera::services::vmm
