// The host tests' architecture: core::ArchThread's state kept per thread in a map, with no IPC
// buffer lookup and no FPU. fake_arch.cc defines core::ArchThread's members over it; every host
// test executable links that file in place of an architecture's (STYLE rule 9).
#pragma once

#include <map>

#include <tessera/abi/ipc_buffer.h>

#include "tcb/arch_thread.h"

namespace tessera::core::test {

struct FakeThread {
    Word registers[UserRegisterCount] = {};
    Word fault_ip = 0;
    Word info = 0;
    Word badge = 0;
    bool has_buffer = true;
    Word buffer[128] = {}; // seL4_IPCBuffer as words; buffer[1 + i] is MR i
    Word restarted_at = 0;
    int written_from_outside = 0; // registers_written_from_outside calls
    int vspace_changes = 0;       // vspace_changed calls
};

// The only ArchThread a host test makes: fake_arch.cc takes every ArchThread to be one.
class FakeArch final : public ArchThread {
public:
    std::map<const Tcb*, FakeThread> threads;
    int fpu_releases = 0; // release_fpu_owner calls: one per domain switch
    FakeThread& of(Tcb& t) { return threads[&t]; }
};

} // namespace tessera::core::test
