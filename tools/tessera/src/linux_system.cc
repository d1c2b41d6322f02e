#include "linux_system.h"

#include <sstream>

namespace tessera::sdf {

std::string linux_disk_system(const LinuxSystemSpec& spec)
{
    // Priorities: a call goes to a strictly higher one (Microkit), and the server's processes run
    // at 100 under the server (docs/posix.md, "The server on seL4").
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!-- Written by `tessera linux` (tools/tessera/src/linux_system.cc). -->\n"
         "<system>\n"
         "    <memory_region name=\"hpet\" size=\"0x1000\" phys_addr=\"0xfed00000\" />\n"
         "    <memory_region name=\"driver_queue\" size=\"0x2000\" />\n"
         "    <memory_region name=\"driver_dma\" size=\"0x4000\" />\n"
         "    <memory_region name=\"virt_scratch\" size=\"0x18000\" />\n"
         "    <memory_region name=\"ext2_queue\" size=\"0x2000\" />\n"
         "    <memory_region name=\"ext2_data\" size=\"0x20000\" />\n"
         "    <memory_region name=\"posix_window\" size=\"0x10000\" />\n"
         "\n"
         "    <protection_domain name=\"virtio_blk\" priority=\"245\">\n"
         "        <program_image path=\"virtio_blk.elf\" />\n"
         "        <pci_device name=\"disk\" pcidev=\"1af4:1042#0\" info_vaddr=\"0x10000000\" setvar_info=\"pci_info\">\n"
         "            <bar index=\"4\" vaddr=\"0x10100000\" size=\"0x4000\" />\n"
         "            <bar index=\"1\" vaddr=\"0x10200000\" size=\"0x1000\" />\n"
         "            <msix id=\"2\" vector=\"20\" entry=\"0\" setvar_id=\"device_irq\" />\n"
         "        </pci_device>\n"
         "        <map mr=\"driver_dma\" vaddr=\"0x20000000\" perms=\"rw\" setvar_vaddr=\"dma\" setvar_size=\"dma_size\" />\n"
         "        <setvar symbol=\"dma_paddr\" region_paddr=\"driver_dma\" />\n"
         "        <map mr=\"driver_queue\" vaddr=\"0x30000000\" perms=\"rw\" setvar_vaddr=\"blk_queue\" setvar_size=\"blk_queue_size\" />\n"
         "    </protection_domain>\n"
         "\n"
         "    <protection_domain name=\"blk_virt\" priority=\"240\">\n"
         "        <program_image path=\"blk_virt.elf\" />\n"
         "        <map mr=\"driver_queue\" vaddr=\"0x30000000\" perms=\"rw\" setvar_vaddr=\"driver_queue\" setvar_size=\"driver_queue_size\" />\n"
         "        <map mr=\"virt_scratch\" vaddr=\"0x20000000\" perms=\"rw\" setvar_vaddr=\"scratch\" setvar_size=\"scratch_size\" />\n"
         "        <setvar symbol=\"scratch_paddr\" region_paddr=\"virt_scratch\" />\n"
         "        <map mr=\"ext2_queue\" vaddr=\"0x40000000\" perms=\"rw\" setvar_vaddr=\"client0_queue\" setvar_size=\"client0_queue_size\" />\n"
         "        <setvar symbol=\"client0_data_paddr\" region_paddr=\"ext2_data\" />\n"
         "        <setvar symbol=\"client0_data_size\" region_size=\"ext2_data\" />\n"
         "        <setvar symbol=\"client0_partition\" string=\"disk\" />\n"
         "    </protection_domain>\n"
         "\n"
         "    <!-- The server's connection is the service's client 1: the volume's root, read-write. -->\n"
         "    <protection_domain name=\"ext2\" priority=\"200\">\n"
         "        <program_image path=\"ext2.elf\" />\n"
         "        <map mr=\"ext2_queue\" vaddr=\"0x30000000\" perms=\"rw\" setvar_vaddr=\"blk_queue\" setvar_size=\"blk_queue_size\" />\n"
         "        <map mr=\"ext2_data\" vaddr=\"0x31000000\" perms=\"rw\" setvar_vaddr=\"blk_data\" setvar_size=\"blk_data_size\" />\n"
         "        <map mr=\"posix_window\" vaddr=\"0x10000000\" perms=\"rw\" setvar_vaddr=\"fs_client_1_window\" setvar_size=\"fs_client_1_window_size\" />\n"
         "    </protection_domain>\n"
         "\n"
         "    <protection_domain name=\"posix\" priority=\"150\" stack_size=\"0x40000\">\n"
         "        <program_image path=\""
      << spec.server_program
      << "\" />\n"
         "        <map mr=\"hpet\" vaddr=\"0x3000000\" perms=\"rw\" cached=\"false\" setvar_vaddr=\"posix_hpet_registers\" />\n"
         "        <irq id=\"0\" pin=\"2\" vector=\"2\" trigger=\"edge\" />\n"
         "        <ioport id=\"0\" addr=\"0x70\" size=\"2\" />\n"
         "        <ioport id=\"1\" addr=\"0xf4\" size=\"4\" />\n"
         "        <map mr=\"posix_window\" vaddr=\"0x4000000\" perms=\"rw\" setvar_vaddr=\"posix_fs_window\" setvar_size=\"posix_fs_window_size\" />\n"
         "        <setvar symbol=\"posix_fs_channel\" string=\"1\" />\n"
         "    </protection_domain>\n"
         "    <manager pd=\"posix\" ram=\""
      << (spec.server_ram_bytes >> 20)
      << "M\" caps=\"64000\" />\n"
         "\n"
         "    <channel><end pd=\"virtio_blk\" id=\"1\" /><end pd=\"blk_virt\" id=\"0\" /></channel>\n"
         "    <channel><end pd=\"ext2\" id=\"0\" /><end pd=\"blk_virt\" id=\"1\" /></channel>\n"
         "    <channel><end pd=\"posix\" id=\"1\" pp=\"true\" /><end pd=\"ext2\" id=\"1\" /></channel>\n"
         "</system>\n";
    return s.str();
}

} // namespace tessera::sdf
