/* libsel4 compatibility: generic constants (priorities, guard and badge widths, lookup failure
 * types) on top of abi/'s sizes and message constants. */
#pragma once

#include <sel4/config.h>
#include <tessera/abi/lookup_failure.h>
#include <tessera/abi/message_info.h>
#include <tessera/abi/object_sizes.h>

/* TCB_SetFlags: a thread with fpuDisabled may not use the FPU; its FPU instructions fault. */
typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    seL4_TCBFlag_MASK = seL4_TCBFlag_fpuDisabled,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
} seL4_TCBFlag;

enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio = 0,
    seL4_MaxPrio = CONFIG_NUM_PRIORITIES - 1,
};

/* 64-bit: a badge is a full word (manual, "Badges"); a CNode guard is up to 58 bits. */
#define seL4_BadgeBits 64
#define seL4_GuardSizeBits 6
#define seL4_GuardBits 58
#define seL4_UntypedRetypeMaxObjects 256
