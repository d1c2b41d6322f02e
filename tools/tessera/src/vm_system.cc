#include "vm_system.h"

#include "number.h"

#include <sstream>

namespace tessera::sdf {
namespace {

constexpr uint64_t LargePage = 2ull << 20;

// One ring region mapped into a PD, with the two variables the serial and block libraries read.
std::string ring_map(const std::string& region, const char* vaddr, const std::string& variable)
{
    return "        <map mr=\"" + region + "\" vaddr=\"" + vaddr + "\" perms=\"rw\" setvar_vaddr=\"" +
           variable + "\" setvar_size=\"" + variable + "_size\" />\n";
}

// Disk n's regions: the driver's queue and DMA, the virtualiser's partition-table scratch (as in
// systems/block.system), and the VMM's connection: a data region for 16 requests in flight of 16
// blocks each with a block at either end (VirtioBlkDevice::plan).
void disk_regions(std::ostringstream& s, const std::string& n)
{
    s << "    <memory_region name=\"driver" << n << "_queue\" size=\"0x2000\" />\n"
      << "    <memory_region name=\"driver" << n << "_dma\" size=\"0x4000\" />\n"
      << "    <memory_region name=\"virt" << n << "_scratch\" size=\"0x18000\" />\n"
      << "    <memory_region name=\"vmm" << n << "_queue\" size=\"0x2000\" />\n"
      << "    <memory_region name=\"vmm" << n << "_data\" size=\"0x120000\" />\n";
}

// Disk n's virtio-blk driver (QEMU's n-th virtio-blk device, its own MSI-X vector) and its block
// virtualiser, whose one client is the VMM: the whole disk, read-only or not.
void disk_components(std::ostringstream& s, unsigned index, bool read_only)
{
    const std::string n = std::to_string(index);
    s << "    <protection_domain name=\"virtio_blk" << n << "\" priority=\"245\">\n"
         "        <program_image path=\"virtio_blk.elf\" />\n"
         "        <pci_device name=\"disk\" pcidev=\"1af4:1042#" << n
      << "\" info_vaddr=\"0x10000000\" setvar_info=\"pci_info\">\n"
         "            <bar index=\"4\" vaddr=\"0x10100000\" size=\"0x4000\" />\n"
         "            <bar index=\"1\" vaddr=\"0x10200000\" size=\"0x1000\" />\n"
         "            <msix id=\"2\" vector=\""
      << 20 + index << "\" entry=\"0\" setvar_id=\"device_irq\" />\n"
         "        </pci_device>\n"
         "        <map mr=\"driver" << n << "_dma\" vaddr=\"0x20000000\" perms=\"rw\" setvar_vaddr=\"dma\" setvar_size=\"dma_size\" />\n"
         "        <setvar symbol=\"dma_paddr\" region_paddr=\"driver" << n << "_dma\" />\n"
      << ring_map("driver" + n + "_queue", "0x30000000", "blk_queue")
      << "    </protection_domain>\n"
         "    <protection_domain name=\"blk_virt" << n << "\" priority=\"240\">\n"
         "        <program_image path=\"blk_virt.elf\" />\n"
      << ring_map("driver" + n + "_queue", "0x30000000", "driver_queue")
      << "        <map mr=\"virt" << n << "_scratch\" vaddr=\"0x20000000\" perms=\"rw\" setvar_vaddr=\"scratch\" setvar_size=\"scratch_size\" />\n"
         "        <setvar symbol=\"scratch_paddr\" region_paddr=\"virt" << n << "_scratch\" />\n"
      << ring_map("vmm" + n + "_queue", "0x40000000", "client0_queue")
      << "        <setvar symbol=\"client0_data_paddr\" region_paddr=\"vmm" << n << "_data\" />\n"
         "        <setvar symbol=\"client0_data_size\" region_size=\"vmm" << n << "_data\" />\n"
         "        <setvar symbol=\"client0_partition\" string=\""
      << (read_only ? "disk,ro" : "disk") << "\" />\n"
      << "    </protection_domain>\n";
}

// Disk n's two regions in the VMM, 16 MiB apart per disk (blkN_queue, blkN_data: pd_symbols.h).
void disk_maps(std::ostringstream& s, unsigned index)
{
    const std::string n = std::to_string(index);
    const uint64_t offset = uint64_t(index) << 24;
    s << ring_map("vmm" + n + "_queue", hex(0x40000000 + offset).c_str(), "blk" + n + "_queue")
      << "        <map mr=\"vmm" << n << "_data\" vaddr=\"" << hex(0x50000000 + offset)
      << "\" perms=\"rw\" setvar_vaddr=\"blk" << n << "_data\" setvar_size=\"blk" << n
      << "_data_size\" />\n";
}

} // namespace

uint64_t vm_guest_ram_bytes(uint64_t requested)
{
    return (requested + LargePage - 1) / LargePage * LargePage;
}

std::string linux_vm_system(const VmSystemSpec& spec)
{
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!-- Written by tessera vm (tools/tessera/src/vm_system.cc): a Linux guest in the VMM\n"
         "     protection domain, its console through the serial virtualiser"
      << (spec.disks_read_only.empty() ? "" : ", its disks through block virtualisers")
      << ". -->\n<system>\n";
    // The guest's RAM in 2 MiB pages: guest-physical 0 in the guest, one window in the VMM.
    s << "    <memory_region name=\"guest_ram\" size=\"" << hex(vm_guest_ram_bytes(spec.guest_ram_bytes))
      << "\" page_size=\"0x200000\" />\n"
         "    <memory_region name=\"guest_bundle\" prefill_path=\""
      << spec.bundle_file
      << "\" />\n"
         "    <memory_region name=\"tsc_frequency\" prefill_bootinfo=\"x86_tsc_freq\" />\n"
         "    <memory_region name=\"hpet\" size=\"0x1000\" phys_addr=\"0xfed00000\" />\n";
    for (const char* ring : {"uart_tx", "uart_rx", "guest_tx", "guest_rx", "vmm_tx", "vmm_rx"})
        s << "    <memory_region name=\"" << ring << "\" size=\"0x1000\" />\n";
    for (unsigned i = 0; i < spec.disks_read_only.size(); i++)
        disk_regions(s, std::to_string(i));
    s << "\n    <protection_domain name=\"uart\" priority=\"254\">\n"
         "        <program_image path=\"uart_driver.elf\" />\n"
         "        <ioport id=\"0\" addr=\"0x3f8\" size=\"8\" />\n"
         "        <irq id=\"1\" pin=\"4\" vector=\"4\" trigger=\"edge\" />\n"
      << ring_map("uart_tx", "0x4000000", "uart_tx") << ring_map("uart_rx", "0x4001000", "uart_rx")
      << "    </protection_domain>\n"
         "    <protection_domain name=\"serial_virt\" priority=\"250\">\n"
         "        <program_image path=\"serial_virt.elf\" />\n"
      << ring_map("uart_tx", "0x4000000", "uart_tx") << ring_map("uart_rx", "0x4001000", "uart_rx")
      << ring_map("guest_tx", "0x4002000", "guest_tx") << ring_map("guest_rx", "0x4003000", "guest_rx")
      << ring_map("vmm_tx", "0x4004000", "vmm_tx") << ring_map("vmm_rx", "0x4005000", "vmm_rx")
      << "    </protection_domain>\n";
    for (unsigned i = 0; i < spec.disks_read_only.size(); i++)
        disk_components(s, i, spec.disks_read_only[i]);
    // The VMM below the native components, so that what it hands them is served at once.
    s << "    <protection_domain name=\"vmm\" priority=\"100\">\n"
         "        <program_image path=\"linux_vmm.elf\" />\n"
         "        <map mr=\"guest_ram\" vaddr=\"0x30000000000\" perms=\"rw\" setvar_vaddr=\"guest_ram\" setvar_size=\"guest_ram_size\" />\n"
         "        <map mr=\"guest_bundle\" vaddr=\"0x20000000000\" perms=\"r\" setvar_vaddr=\"guest_bundle\" setvar_prefill_size=\"guest_bundle_size\" />\n"
         "        <map mr=\"tsc_frequency\" vaddr=\"0x10000000\" perms=\"r\" setvar_vaddr=\"tsc_frequency\" />\n"
         "        <map mr=\"hpet\" vaddr=\"0x10001000\" perms=\"rw\" cached=\"false\" setvar_vaddr=\"hpet_registers\" />\n"
         "        <irq id=\"0\" pin=\"2\" vector=\"2\" trigger=\"edge\" />\n"
         "        <ioport id=\"0\" addr=\"0xf4\" size=\"4\" />\n";
    if (spec.exit_limit != 0)
        s << "        <setvar symbol=\"exit_storm_limit\" string=\"" << spec.exit_limit << "\" />\n";
    s
      << ring_map("guest_tx", "0x4000000", "guest_serial_tx")
      << ring_map("guest_rx", "0x4001000", "guest_serial_rx")
      << ring_map("vmm_tx", "0x4002000", "vmm_serial_tx") << ring_map("vmm_rx", "0x4003000", "vmm_serial_rx");
    for (unsigned i = 0; i < spec.disks_read_only.size(); i++)
        disk_maps(s, i);
    s << "        <virtual_machine name=\"linux\">\n"
         "            <vcpu id=\"0\" />\n"
         "            <map mr=\"guest_ram\" vaddr=\"0x0\" perms=\"rwx\" />\n"
         "        </virtual_machine>\n"
         "    </protection_domain>\n\n"
         "    <channel><end pd=\"serial_virt\" id=\"0\" /><end pd=\"uart\" id=\"2\" /></channel>\n"
         "    <channel><end pd=\"vmm\" id=\"1\" /><end pd=\"serial_virt\" id=\"1\" /></channel>\n"
         "    <channel><end pd=\"vmm\" id=\"2\" /><end pd=\"serial_virt\" id=\"2\" /></channel>\n";
    // Disk n's completions reach the VMM on channel 3 + n (linux_guest.h, linux_vmm_channel).
    for (unsigned i = 0; i < spec.disks_read_only.size(); i++)
        s << "    <channel><end pd=\"virtio_blk" << i << "\" id=\"1\" /><end pd=\"blk_virt" << i
          << "\" id=\"0\" /></channel>\n"
             "    <channel><end pd=\"blk_virt" << i << "\" id=\"1\" /><end pd=\"vmm\" id=\""
          << 3 + i << "\" /></channel>\n";
    s << "</system>\n";
    return s.str();
}

} // namespace tessera::sdf
