/* Tessera ABI: fault messages the kernel sends to a thread's fault endpoint, x86_64 non-MCS.
 * The fault type is the message label; the words are message registers (seL4 Reference Manual,
 * "Faults"; libsel4 sel4_arch/types.bf, sel4_arch/constants.h, shared_types.h). */
#pragma once

#include <tessera/abi/base.h>

typedef enum {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_DebugException = 4, /* only with CONFIG_HARDWARE_DEBUG_API */
    seL4_Fault_VMFault = 5,        /* non-MCS number; MCS uses 5 for Timeout and 6 here */
} seL4_FaultType;

typedef enum {
    seL4_CapFault_IP = 0,
    seL4_CapFault_Addr = 1,
    seL4_CapFault_InRecvPhase = 2,
    seL4_CapFault_LookupFailureType = 3,
    seL4_CapFault_BitsLeft = 4,
    seL4_CapFault_DepthMismatch_BitsFound = 5,
    seL4_CapFault_GuardMismatch_GuardFound = 5,
    seL4_CapFault_GuardMismatch_BitsFound = 6,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_CapFault_Msg),
} seL4_CapFault_Msg;

/* A cap fault's length depends on its lookup failure: the description starts at word 3 (type)
 * and is followed by 0 (InvalidRoot), 1 (MissingCapability), 2 (DepthMismatch) or 3
 * (GuardMismatch) words, so 4..7 words in all (seL4 setMRs_lookup_failure). */
enum { TESSERA_CAP_FAULT_MAX_LENGTH = 7 };

typedef enum {
    seL4_VMFault_IP = 0,
    seL4_VMFault_Addr = 1,
    seL4_VMFault_PrefetchFault = 2,
    seL4_VMFault_FSR = 3,
    seL4_VMFault_Length = 4,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_VMFault_Msg),
} seL4_VMFault_Msg;

enum {
    seL4_DataFault = 0,
    seL4_InstructionFault = 1,
};

/* The faulting thread's registers in x86_64 order; the handler's reply may rewrite them. */
typedef enum {
    seL4_UnknownSyscall_RAX = 0,
    seL4_UnknownSyscall_RBX = 1,
    seL4_UnknownSyscall_RCX = 2,
    seL4_UnknownSyscall_RDX = 3,
    seL4_UnknownSyscall_RSI = 4,
    seL4_UnknownSyscall_RDI = 5,
    seL4_UnknownSyscall_RBP = 6,
    seL4_UnknownSyscall_R8 = 7,
    seL4_UnknownSyscall_R9 = 8,
    seL4_UnknownSyscall_R10 = 9,
    seL4_UnknownSyscall_R11 = 10,
    seL4_UnknownSyscall_R12 = 11,
    seL4_UnknownSyscall_R13 = 12,
    seL4_UnknownSyscall_R14 = 13,
    seL4_UnknownSyscall_R15 = 14,
    seL4_UnknownSyscall_FaultIP = 15,
    seL4_UnknownSyscall_SP = 16,
    seL4_UnknownSyscall_FLAGS = 17,
    seL4_UnknownSyscall_Syscall = 18,
    seL4_UnknownSyscall_Length = 19,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_UnknownSyscall_Msg),
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP = 0,
    seL4_UserException_SP = 1,
    seL4_UserException_FLAGS = 2,
    seL4_UserException_Number = 3,
    seL4_UserException_Code = 4,
    seL4_UserException_Length = 5,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_UserException_Msg),
} seL4_UserException_Msg;
