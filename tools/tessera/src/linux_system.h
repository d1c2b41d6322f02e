// The system `tessera linux --disk` / `--root` boots (docs/posix.md, "The file system as its own
// component"): the POSIX server as a protection domain (posix_server_pd.elf) and the block half of
// systems/shell.system (the virtio-blk driver, the block virtualiser, the ext2 service), the
// server being the service's client 1 over a protected-procedure-call channel and a window.
// Written as a .system description, so that the ordinary checker, compiler and loader build it;
// the variable names are user/services/posix/pd.cc's and the services' own.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::sdf {

struct LinuxSystemSpec {
    std::string server_program = "posix_server_pd.elf"; // found on the build's search path
    uint64_t server_ram_bytes = 192ull << 20;           // the server's untypeds: its processes
};

std::string linux_disk_system(const LinuxSystemSpec& spec);

} // namespace tessera::sdf
