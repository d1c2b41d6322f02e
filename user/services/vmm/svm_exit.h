// What an SVM #VMEXIT tells the VMM, decoded: the exit codes it handles and the EXITINFO1/2
// layouts for I/O and nested page faults (AMD APM vol. 2, 15.9-15.10, 15.25.6, appendix C). QEMU's
// TCG SVM has no NRIP save, so after CPUID, RDMSR/WRMSR, HLT and VMMCALL the VMM finds the next
// RIP itself by checking the instruction bytes at RIP (I/O exits give it in EXITINFO2).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

namespace svm_exit_code {
constexpr uint64_t Interrupt = 0x60;
constexpr uint64_t Nmi = 0x61;
constexpr uint64_t VirtualInterrupt = 0x64;
constexpr uint64_t Cpuid = 0x72;
constexpr uint64_t Hlt = 0x78;
constexpr uint64_t IoPort = 0x7b;
constexpr uint64_t Msr = 0x7c;
constexpr uint64_t Shutdown = 0x7f; // triple fault
constexpr uint64_t Vmmcall = 0x81;
constexpr uint64_t NestedPageFault = 0x400;
constexpr uint64_t Invalid = ~0ull; // VMRUN refused the VMCB's guest state
} // namespace svm_exit_code

struct IoExit {
    uint16_t port;
    uint8_t size; // 1, 2 or 4
    bool is_in;
    bool is_string; // INS/OUTS
    bool has_rep;
    uint64_t next_rip; // EXITINFO2
};

// Decodes an IOIO exit; false when EXITINFO1 names no operand size (malformed).
bool decode_io_exit(uint64_t exit_info1, uint64_t exit_info2, IoExit& out);

struct NestedFault {
    uint64_t guest_physical; // EXITINFO2
    bool present;            // the nested entry was present (a protection fault)
    bool write;
    bool fetch;
    bool during_table_walk; // while reading the guest's own page tables
};

NestedFault decode_nested_fault(uint64_t exit_info1, uint64_t exit_info2);

// The length of the CPUID, RDMSR/WRMSR, HLT or VMMCALL that caused `exit_code`, checked against
// the bytes at RIP (`count` of them readable): 0 when they are not that instruction (the VMM then
// stops the guest rather than skip bytes it does not understand).
size_t intercepted_instruction_length(uint64_t exit_code, uint64_t msr_exit_info1,
                                      const uint8_t* bytes, size_t count);

} // namespace tessera::services::vmm
