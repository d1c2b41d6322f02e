// The virtio-blk driver protection domain (Microkit API). It holds its device's BARs (mapped by
// the loader), the device's interrupt, one DMA region for its queue and request headers, and
// the block connection to its one client, the block virtualiser (channel 1). Configuration space
// it only reads, from the copy in its device info page: the loader set the device up.
//
// Set by the system description:
//   pci_info      the device info page (<pci_device info_vaddr setvar_info>)
//   device_irq    the device's interrupt id (<msix|msi|intx setvar_id>)
//   blk_queue, blk_queue_size   the client connection's queue region (setvar_vaddr, setvar_size)
//   dma, dma_paddr, dma_size    the DMA region (setvar_vaddr, setvar region_paddr, setvar_size)
//   driver_status (optional)    a page where the driver records its entry and starts, for a parent
//                               that restarts it
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <new>

#include <tessera/pci/msi.h>
#include <tessera/pci_device_info.h>
#include <tessera/virtio/pci_transport.h>

#include "block_device.h"
#include "block_server.h"
#include "driver_status.h"

#define PATCHED __attribute__((section(".data")))

extern "C" {
PATCHED uintptr_t pci_info = 0;
PATCHED seL4_Word device_irq = 0;
PATCHED uintptr_t blk_queue = 0;
PATCHED uint64_t blk_queue_size = 0;
PATCHED uintptr_t dma = 0;
PATCHED uint64_t dma_paddr = 0;
PATCHED uint64_t dma_size = 0;
PATCHED uintptr_t driver_status = 0;
void _start(void);
}

namespace {

using namespace tessera;
using drivers::virtio_blk::BlockDevice;
using drivers::virtio_blk::BlockServer;

constexpr microkit_channel VirtualiserChannel = 1;
// One request carries at most 1 MiB (256 blocks): what the virtualiser offers its clients.
constexpr uint32_t MaxCount = 256;

// Everything the driver keeps, rebuilt by every start: a restart runs _start again on the
// variables the previous run left behind.
struct Driver {
    virtio::MappedRegisters common, notify, isr, device;
    alignas(virtio::PciTransport) unsigned char transport_storage[sizeof(virtio::PciTransport)];
    virtio::PciTransport* transport = nullptr;
    BlockDevice disk;
    BlockServer server;
    bool intx = false;
    char name[48] = "";
};
alignas(Driver) unsigned char storage[sizeof(Driver)];
Driver* driver = nullptr;

void signal_virtualiser(void*)
{
    microkit_notify(VirtualiserChannel);
}


// A structure the virtio capabilities place in a BAR, if this driver has that part mapped.
bool window(const tessera_pci_device_info& info, const virtio::Window& w, virtio::MappedRegisters& out)
{
    if (!w.present || w.bar > 5)
        return false;
    const tessera_pci_bar_info& bar = info.bars[w.bar];
    if (bar.vaddr == 0 || uint64_t(w.offset) + w.length > bar.mapped)
        return false;
    out = virtio::MappedRegisters(reinterpret_cast<volatile uint8_t*>(bar.vaddr + w.offset), w.length);
    return true;
}

// MSI-X: the loader enabled it and chose the message; the table lives in a BAR this driver maps.
libos::Result<uint16_t> program_msix(const tessera_pci_device_info& info, const pci::ConfigSpace& config)
{
    auto msix = pci::parse_msix(config);
    if (!msix)
        return msix.error();
    const tessera_pci_bar_info& bar = info.bars[msix.value().table_bar];
    const uint64_t end = uint64_t(msix.value().table_offset) + (info.msix_entry + 1) * pci::MsixEntryBytes;
    if (bar.vaddr == 0 || end > bar.mapped)
        return libos::make_error(seL4_InvalidArgument, "the MSI-X table's BAR is not mapped");
    auto* table = reinterpret_cast<volatile uint32_t*>(bar.vaddr + msix.value().table_offset);
    pci::write_msix_entry(table, uint16_t(info.msix_entry), pci::MsiMessage{info.msi_address, info.msi_data});
    return uint16_t(info.msix_entry);
}

const char* start_device(Driver& d, const tessera_pci_device_info& info)
{
    const pci::SnapshotConfig config(info.config, sizeof info.config);
    auto layout = virtio::read_pci_layout(config);
    if (!layout)
        return layout.error().what;
    if (!window(info, layout.value().common, d.common) || !window(info, layout.value().notify, d.notify) ||
        !window(info, layout.value().isr, d.isr) || !window(info, layout.value().device, d.device))
        return "a virtio structure lies in a BAR part this driver does not map";
    d.transport = new (d.transport_storage)
        virtio::PciTransport(d.common, d.notify, d.isr, d.device, layout.value().notify_multiplier);
    uint16_t vector = virtio::NoVector;
    if (info.interrupt == TESSERA_PCI_INTERRUPT_MSIX) {
        auto programmed = program_msix(info, config);
        if (!programmed)
            return programmed.error().what;
        vector = programmed.value();
    } else if (info.interrupt == TESSERA_PCI_INTERRUPT_INTX) {
        d.intx = true;
    } else {
        return "virtio-blk needs an MSI-X or INTx interrupt";
    }
    const drivers::virtio_blk::DmaRegion region{reinterpret_cast<uint8_t*>(dma), dma_paddr, dma_size};
    auto facts = d.disk.start(*d.transport, region, vector, MaxCount);
    if (!facts)
        return facts.error().what;
    return nullptr;
}

} // namespace

void init(void)
{
    driver = new (storage) Driver();
    Driver& d = *driver;
    if (driver_status != 0) {
        auto* status = reinterpret_cast<volatile tessera_driver_status*>(driver_status);
        status->entry = reinterpret_cast<uintptr_t>(&_start);
        status->starts = status->starts + 1;
    }
    const auto* info = reinterpret_cast<const tessera_pci_device_info*>(pci_info);
    const uint32_t capacity = tessera_blk_queue_capacity(blk_queue_size);
    const queue::BlockQueueLayout layout(reinterpret_cast<void*>(blk_queue), capacity < 4 ? 4 : capacity);
    const char* problem = nullptr;
    if (info == nullptr || info->magic != TESSERA_PCI_INFO_MAGIC)
        problem = "no device info page";
    else if (capacity == 0 || dma == 0 || dma_size == 0)
        problem = "the queue or DMA region is missing";
    else
        snprintf(d.name, sizeof d.name, "virtio-blk %02x:%02x.%x", info->bus, info->slot, info->function);
    if (problem == nullptr)
        problem = start_device(d, *info);
    if (problem != nullptr) {
        printf("%s: %s: %s\n", microkit_name, d.name[0] ? d.name : "virtio-blk", problem);
        if (capacity != 0)
            d.server.start_failed(layout, d.name, signal_virtualiser, nullptr);
        return;
    }
    const auto& facts = d.disk.facts();
    printf("%s: %s: %llu blocks of 4 KiB%s, %s, queue of %u%s\n", microkit_name, d.name,
           (unsigned long long)facts.capacity_blocks, facts.read_only ? " (read-only)" : "",
           d.intx ? "INTx" : "MSI-X", facts.queue_size, facts.event_index ? ", event index" : "");
    d.server.start(layout, d.disk, d.name, signal_virtualiser, nullptr);
}

// What a supervising parent may want to know before it stops the driver.
static void record_status(const Driver& d)
{
    if (driver_status != 0)
        reinterpret_cast<volatile tessera_driver_status*>(driver_status)->at_device = d.disk.outstanding();
}

void notified(microkit_channel ch)
{
    if (driver == nullptr)
        return;
    Driver& d = *driver;
    if (ch == device_irq) {
        // INTx is level-triggered: reading the ISR lowers the line before the pin is unmasked.
        if (d.intx)
            (void)d.disk.acknowledge_intx();
        d.server.run();
        microkit_irq_ack(ch);
    } else if (ch == VirtualiserChannel) {
        d.server.run();
    }
    record_status(d);
}
