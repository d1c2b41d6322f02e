// Decoding SVM exit information (svm_exit.h).
#include "svm_exit.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

// IOIO EXITINFO1 (APM vol. 2, figure 15-2).
constexpr uint64_t IoIn = 1u << 0, IoString = 1u << 2, IoRep = 1u << 3, IoSize8 = 1u << 4,
                   IoSize16 = 1u << 5, IoSize32 = 1u << 6;
constexpr unsigned IoPortShift = 16;
// Nested page fault EXITINFO1: a #PF error code plus where the fault happened (15.25.6).
constexpr uint64_t FaultPresent = 1u << 0, FaultWrite = 1u << 1, FaultFetch = 1u << 4;
constexpr uint64_t FaultDuringWalk = 1ull << 33;

bool starts_with(const uint8_t* bytes, size_t count, const uint8_t* expected, size_t length)
{
    return count >= length && memcmp(bytes, expected, length) == 0;
}

} // namespace

bool decode_io_exit(uint64_t exit_info1, uint64_t exit_info2, IoExit& out)
{
    uint64_t sizes = exit_info1 & (IoSize8 | IoSize16 | IoSize32);
    if (sizes == IoSize8)
        out.size = 1;
    else if (sizes == IoSize16)
        out.size = 2;
    else if (sizes == IoSize32)
        out.size = 4;
    else
        return false;
    out.port = static_cast<uint16_t>(exit_info1 >> IoPortShift);
    out.is_in = (exit_info1 & IoIn) != 0;
    out.is_string = (exit_info1 & IoString) != 0;
    out.has_rep = (exit_info1 & IoRep) != 0;
    out.next_rip = exit_info2;
    return true;
}

NestedFault decode_nested_fault(uint64_t exit_info1, uint64_t exit_info2)
{
    return NestedFault{exit_info2, (exit_info1 & FaultPresent) != 0, (exit_info1 & FaultWrite) != 0,
                       (exit_info1 & FaultFetch) != 0, (exit_info1 & FaultDuringWalk) != 0};
}

size_t intercepted_instruction_length(uint64_t exit_code, uint64_t msr_exit_info1,
                                      const uint8_t* bytes, size_t count)
{
    static constexpr uint8_t Cpuid[] = {0x0f, 0xa2};
    static constexpr uint8_t Rdmsr[] = {0x0f, 0x32};
    static constexpr uint8_t Wrmsr[] = {0x0f, 0x30};
    static constexpr uint8_t Hlt[] = {0xf4};
    static constexpr uint8_t Vmmcall[] = {0x0f, 0x01, 0xd9};
    if (bytes == nullptr)
        return 0;
    switch (exit_code) {
    case svm_exit_code::Cpuid:
        return starts_with(bytes, count, Cpuid, sizeof Cpuid) ? sizeof Cpuid : 0;
    case svm_exit_code::Msr: {
        const uint8_t* expected = msr_exit_info1 == 1 ? Wrmsr : Rdmsr;
        return msr_exit_info1 <= 1 && starts_with(bytes, count, expected, 2) ? 2 : 0;
    }
    case svm_exit_code::Hlt:
        return starts_with(bytes, count, Hlt, sizeof Hlt) ? sizeof Hlt : 0;
    case svm_exit_code::Vmmcall:
        return starts_with(bytes, count, Vmmcall, sizeof Vmmcall) ? sizeof Vmmcall : 0;
    default:
        return 0;
    }
}

} // namespace tessera::services::vmm
