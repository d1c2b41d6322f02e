/* Tessera ABI: x86-specific invocation constants: page attributes, interrupt vector range,
 * capability types (libsel4 arch_include/x86/sel4/arch/types.h and constants.h). */
#pragma once

#include <tessera/abi/base.h>

typedef enum {
    seL4_X86_Default_VMAttributes = 0,
    seL4_X86_WriteBack = 0,
    seL4_X86_WriteThrough = 1,
    seL4_X86_CacheDisabled = 2,
    seL4_X86_Uncacheable = 3,
    seL4_X86_WriteCombining = 4,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_X86_VMAttributes),
} seL4_X86_VMAttributes;

TESSERA_ABI_ASSERT(sizeof(seL4_X86_VMAttributes) == 8, "VM attributes fill a word");

typedef enum {
    seL4_X86_EPT_Uncacheable = 0,
    seL4_X86_EPT_WriteCombining = 1,
    seL4_X86_EPT_WriteThrough = 4,
    seL4_X86_EPT_WriteProtected = 5,
    seL4_X86_EPT_WriteBack = 6,
    seL4_X86_EPT_Default_VMAttributes = 6,
    seL4_X86_EPT_Uncached_VMAttributes = 6,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_X86_EPT_VMAttributes),
} seL4_X86_EPT_VMAttributes;

/* IRQControl_GetIOAPIC/GetMSI take a vector in [VECTOR_MIN, VECTOR_MAX]; the CPU sees it as
 * vector + IRQ_OFFSET, which is what an MSI must be programmed with. */
#define IRQ_OFFSET (0x20 + 16)
#define VECTOR_MIN (0)
#define VECTOR_MAX (109)
#define MSI_MIN VECTOR_MIN
#define MSI_MAX VECTOR_MAX

/* x86 I/O ports are 16-bit numbers; IOPortControl_Issue hands out an inclusive range. */
enum { TESSERA_X86_IO_PORT_MAX = 0xffff };

typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOSpace;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X86_IOPageTable;
typedef seL4_CPtr seL4_X86_EPTPML4;
typedef seL4_CPtr seL4_X86_EPTPDPT;
typedef seL4_CPtr seL4_X86_EPTPD;
typedef seL4_CPtr seL4_X86_EPTPT;
typedef seL4_CPtr seL4_X86_VCPU;
typedef seL4_CPtr seL4_X64_PML4;

/* Guest registers a VT-x VCPU keeps outside the VMCS (VCPU_WriteRegisters). */
typedef struct seL4_VCPUContext_ {
    seL4_Word eax, ebx, ecx, edx, esi, edi, ebp;
} seL4_VCPUContext;

TESSERA_ABI_ASSERT(sizeof(seL4_VCPUContext) == 7 * sizeof(seL4_Word), "VCPU context");
