// The calls about the process itself: identities, thread-local storage, limits, uname,
// randomness, prctl, and sysinfo (the machine as the server sees it).
#include <sel4/sel4.h>
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

template <class T> int64_t put(AddressSpace& space, uint64_t address, const T& value)
{
    return linux_return(space.write(address, &value, sizeof value));
}

void copy_field(char (&field)[65], const char* text)
{
    strncpy(field, text, sizeof field - 1);
}

int64_t uname_call(AddressSpace& space, uint64_t address)
{
    linux::Utsname names{};
    copy_field(names.sysname, "Linux");
    copy_field(names.nodename, "tessera");
    // glibc refuses kernels older than its configured minimum: name a recent one.
    copy_field(names.release, "6.1.0-tessera");
    copy_field(names.version, "#1 SMP Tessera POSIX personality");
    copy_field(names.machine, "x86_64");
    copy_field(names.domainname, "(none)");
    return put(space, address, names);
}

int64_t limit_call(AddressSpace& space, const LinuxCall& call)
{
    using namespace linux::rlimit_resource;
    const uint64_t pid = call.args[0], resource = call.args[1], old_limit = call.args[3];
    if (pid != 0 && pid != 1)
        return linux::negative(Errno::Srch);
    if (resource >= uint64_t(Count))
        return linux::negative(Errno::Inval);
    linux::Rlimit limit{Infinity, Infinity};
    if (resource == uint64_t(Stack))
        limit = {8ull << 20, Infinity};
    else if (resource == uint64_t(NoFile))
        limit = {Process::MaxFiles, Process::MaxFiles};
    if (old_limit != 0)
        return put(space, old_limit, limit);
    return 0; // new limits are accepted and not enforced beyond the server's own quotas
}

} // namespace

int64_t Server::process_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    // The calls that ask the kernel or write the program's memory, out of line: their frame (a
    // 256-byte buffer, the structures) and the registers the seL4 calls need saved are not the
    // identity calls' cost (getppid's every call paid a six-register prologue for them).
    // Captures nothing: the call passes its arguments on in their registers.
    constexpr auto with_memory = [](Server& self, Process& process,
                                    const LinuxCall& call) __attribute__((noinline)) -> int64_t {
        AddressSpace& space = *process.space;
        const uint64_t* a = call.args;
        switch (call.number) {
        case linux::nr::ArchPrctl:
            if (int32_t(a[0]) == linux::arch_prctl_code::SetFs) {
                if (a[1] >= AddressSpace::UserTop)
                    return linux::negative(Errno::Perm);
                if (seL4_TCB_SetTLSBase(libos::raw(process.tcb.cap), a[1]) != seL4_NoError)
                    return linux::negative(Errno::Perm);
                process.fs_base = a[1];
                return 0;
            }
            if (int32_t(a[0]) == linux::arch_prctl_code::GetFs)
                return put(space, a[1], process.fs_base);
            return linux::negative(Errno::Inval);
        case linux::nr::Prlimit64:
            return limit_call(space, call);
        case linux::nr::Uname:
            return uname_call(space, a[0]);
        case linux::nr::Getrandom: {
            uint8_t bytes[256];
            const size_t length = a[1] < sizeof bytes ? size_t(a[1]) : sizeof bytes;
            for (size_t i = 0; i < length; ++i)
                bytes[i] = self.random_byte();
            auto written = space.write(a[0], bytes, length);
            return written ? int64_t(length) : linux_return(written);
        }
        case linux::nr::Sysinfo: {
            // The memory of /proc/meminfo: the server's frames and what the memory file systems hold.
            linux::SysInfo info{};
            info.uptime = int64_t(self.now() / 1'000'000'000u);
            info.total_ram = self.frames_.total() * PageSize;
            info.free_ram = self.frames_.available() * PageSize;
            for (size_t i = 0; i < self.mounts_.count(); ++i)
                info.shared_ram += self.mounts_.at(i)->volume->memory_pages() * PageSize;
            for (const Process& p : self.processes_)
                info.processes += p.pid != 0 && !p.exited;
            info.memory_unit = 1;
            return put(space, a[0], info);
        }
        default:
            return linux::negative(Errno::NoSys);
        }
    };
    switch (call.number) {
    case linux::nr::Gettid:
        return process.pid;
    case linux::nr::SchedYield:
        return 0; // the reply itself lets the kernel's scheduler pick among equal priorities
    case linux::nr::Getpid:
    case linux::nr::Getpgrp:
    case linux::nr::Getsid:
        return process.tgid;
    case linux::nr::Getpgid:
        return a[0] == 0 || int32_t(a[0]) == process.tgid ? process.tgid
                                                          : linux::negative(Errno::Srch);
    case linux::nr::Setpgid:
    case linux::nr::Setsid:
        return process.tgid;
    case linux::nr::Getppid:
        return process.parent;
    case linux::nr::Getuid:
    case linux::nr::Getgid:
    case linux::nr::Geteuid:
    case linux::nr::Getegid:
        return 0;
    case linux::nr::Umask: { // the old mask; the new one keeps only permission bits (umask(2))
        const uint32_t old = process.umask;
        process.umask = uint32_t(a[0]) & 0777;
        return old;
    }
    case linux::nr::SetTidAddress:
        process.clear_child_tid = a[0];
        return process.pid;
    case linux::nr::Rseq:
        return linux::negative(Errno::NoSys); // glibc and musl run without it
    case linux::nr::Prctl:
        return int32_t(a[0]) == linux::prctl_option::SetName ? 0 : linux::negative(Errno::Inval);
    default:
        return with_memory(*this, process, call);
    }
}

} // namespace tessera::posix::server
