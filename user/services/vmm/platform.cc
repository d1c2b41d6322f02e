// Dispatch and interrupt wiring of the guest's platform (platform.h).
#include "platform.h"

#include "acpi_tables.h"

namespace tessera::services::vmm {
namespace {

constexpr unsigned Com1Gsi = Com1Irq; // no override: ISA IRQ 4 is GSI 4
constexpr unsigned PitGsi = 2;        // the MADT's IRQ 0 -> GSI 2 override
constexpr unsigned SciGsi = SciIrq;

uint32_t all_ones(unsigned size)
{
    return size >= 4 ? ~0u : (1u << (8 * size)) - 1;
}

} // namespace

Platform::Platform(ByteSink& console)
    : io_apic_(to_local_apic_, 1), local_apic_(0, &io_apic_), uart_(console)
{
    to_local_apic_.target = &local_apic_;
}

IoOutcome Platform::port_io(AccessKind kind, uint16_t port, unsigned size, uint32_t value,
                            uint64_t now_ns)
{
    IoOutcome outcome{0, PowerEvent::None, true};
    bool read = kind == AccessKind::Read;
    // The reset register (0xcf9) is decoded before the PCI address port it sits beside.
    if (AcpiPm::handles(port)) {
        if (read)
            outcome.value = acpi_pm_.read(port, size, now_ns);
        else
            outcome.power = acpi_pm_.write(port, size, value);
    } else if (PciBus::handles(port)) {
        if (read)
            outcome.value = pci_.read(port, size);
        else
            pci_.write(port, size, value);
    } else if (port >= Com1Port && port < Com1Port + UartRegisterCount && size == 1) {
        if (read)
            outcome.value = uart_.read(port - Com1Port);
        else
            uart_.write(port - Com1Port, static_cast<uint8_t>(value));
    } else if (Pit8254::handles(port) && size == 1) {
        if (read)
            outcome.value = pit_.read(port, now_ns);
        else
            pit_.write(port, static_cast<uint8_t>(value), now_ns);
    } else if (Pic8259Pair::handles(port) && size == 1) {
        if (read)
            outcome.value = pic_.read(port);
        else
            pic_.write(port, static_cast<uint8_t>(value));
    } else {
        ++undecoded_;
        outcome.decoded = false;
        outcome.value = read ? all_ones(size) : 0;
    }
    if (read)
        outcome.value &= all_ones(size);
    update_interrupts(now_ns);
    return outcome;
}

IoOutcome Platform::mmio(AccessKind kind, uint64_t address, unsigned size, uint64_t value,
                         uint64_t now_ns)
{
    IoOutcome outcome{0, PowerEvent::None, true};
    bool read = kind == AccessKind::Read;
    // Both windows take aligned 32-bit accesses only (SDM 11.4.1; 82093AA 3.0).
    if (address >= LocalApicAddress && address < LocalApicAddress + LocalApicWindowBytes &&
        size == 4 && address % 4 == 0) {
        if (read)
            outcome.value = local_apic_.read(address - LocalApicAddress, now_ns);
        else
            local_apic_.write(address - LocalApicAddress, static_cast<uint32_t>(value), now_ns);
    } else if (address >= IoApicAddress && address < IoApicAddress + IoApicWindowBytes &&
               size == 4 && address % 4 == 0) {
        if (read)
            outcome.value = io_apic_.read(address - IoApicAddress);
        else
            io_apic_.write(address - IoApicAddress, static_cast<uint32_t>(value));
    } else if (VirtioPciTransport* disk = disk_at(address)) {
        if (read)
            outcome.value = disk->read(address, size);
        else
            disk->write(address, size, value);
    } else {
        ++undecoded_;
        outcome.decoded = false;
        outcome.value = read ? all_ones(size) : 0;
    }
    update_interrupts(now_ns);
    return outcome;
}

void Platform::update_interrupts(uint64_t now_ns)
{
    // The PIT's output is an edge: pulse the input.
    if (pit_.take_interrupt(now_ns)) {
        io_apic_.set_line(PitGsi, true);
        io_apic_.set_line(PitGsi, false);
    }
    io_apic_.set_line(Com1Gsi, uart_.interrupt_pending());
    io_apic_.set_line(SciGsi, acpi_pm_.sci_pending());
    // Each disk has a GSI of its own (MaxDisks slots, four distinct _PRT swizzles), so a line is
    // one device's.
    for (unsigned i = 0; i < disk_count_; i++)
        io_apic_.set_line(disk_irqs_[i], disks_[i]->interrupt_asserted());
    local_apic_.advance(now_ns);
}

VirtioPciTransport* Platform::disk_at(uint64_t address) const
{
    for (unsigned i = 0; i < disk_count_; i++)
        if (disks_[i]->handles(address))
            return disks_[i];
    return nullptr;
}

bool Platform::attach_disk(VirtioPciTransport& disk, uint64_t bar)
{
    constexpr unsigned Bar0 = 0x10, Command = 0x04, InterruptLine = 0x3c;
    constexpr uint16_t MemoryDecoding = 1u << 1, BusMaster = 1u << 2;
    const unsigned slot = DiskSlot + disk_count_;
    const uint8_t irq = static_cast<uint8_t>(pci_intx_gsi(slot, 0));
    if (disk_count_ == MaxDisks || !pci_.attach(slot, disk.pci()))
        return false;
    disk.pci().write(Bar0, 4, static_cast<uint32_t>(bar));
    disk.pci().write(Command, 2, MemoryDecoding | BusMaster);
    disk.pci().write(InterruptLine, 1, irq);
    disks_[disk_count_] = &disk;
    disk_irqs_[disk_count_] = irq;
    disk_count_++;
    return true;
}

uint64_t Platform::next_deadline_ns(uint64_t now_ns) const
{
    uint64_t pit = pit_.next_interrupt_ns(now_ns);
    uint64_t apic = local_apic_.next_timer_deadline_ns(now_ns);
    return pit < apic ? pit : apic;
}

} // namespace tessera::services::vmm
