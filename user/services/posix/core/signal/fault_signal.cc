// Linux's choices (arch/x86/kernel/traps.c and mm/fault.c): #DE SIGFPE FPE_INTDIV and #UD
// SIGILL ILL_ILLOPN at the instruction; #GP SIGSEGV SI_KERNEL without an address; #BP SIGTRAP
// SI_KERNEL; #NP and #SS SIGBUS SI_KERNEL; #AC SIGBUS BUS_ADRALN; the x87 and SIMD errors SIGFPE
// at the instruction; a user page fault's err has the user bit (4) set.
#include "core/signal/fault_signal.h"

#include "linux/constants.h"

namespace tessera::posix {

namespace {

using namespace linux::signal;

namespace vector {
constexpr uint64_t Divide = 0, Debug = 1, Breakpoint = 3, InvalidOpcode = 6, SegmentNotPresent = 11,
                   StackSegment = 12, PageFault = 14, X87 = 16, Alignment = 17, Simd = 19;
}

constexpr uint64_t UserFault = 4; // the page-fault error code's user bit

} // namespace

FaultSignal page_fault_signal(FaultResult result, uint64_t address, uint64_t error)
{
    FaultSignal s;
    s.address = address;
    s.trap_number = vector::PageFault;
    s.error = error | UserFault;
    s.cr2 = address;
    switch (result) {
    case FaultResult::OutOfMemory:
        s.signal = Kill; // Linux's OOM killer
        break;
    case FaultResult::BeyondObject:
        s.signal = Bus;
        s.code = BusAdrErr;
        break;
    case FaultResult::AccessDenied:
        s.signal = Segv;
        s.code = SegvAccErr;
        break;
    case FaultResult::NotMapped:
    case FaultResult::Resolved:
        s.signal = Segv;
        s.code = SegvMapErr;
        break;
    }
    return s;
}

FaultSignal exception_signal(uint64_t number, uint64_t error, uint64_t ip)
{
    switch (number) {
    case vector::Divide:
        return {Fpe, FpeIntDiv, ip, number, error, 0};
    case vector::InvalidOpcode:
        return {Ill, IllOpn, ip, number, error, 0};
    case vector::Debug:
    case vector::Breakpoint:
        return {Trap, CodeKernel, 0, number, error, 0};
    case vector::SegmentNotPresent:
    case vector::StackSegment:
        return {Bus, CodeKernel, 0, number, error, 0};
    case vector::Alignment:
        return {Bus, BusAdrAln, 0, number, error, 0};
    case vector::X87:
    case vector::Simd: // si_code would come from the FPU's status word, which is not read
        return {Fpe, 0, ip, number, error, 0};
    default: // #GP and the rest
        return {Segv, CodeKernel, 0, number, error, 0};
    }
}

} // namespace tessera::posix
