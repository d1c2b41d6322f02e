/* libsel4 compatibility: generic constants (priorities, guard and badge widths, lookup failure
 * types) on top of abi/'s sizes and message constants. */
#pragma once

#include <sel4/config.h>
#include <tessera/abi/lookup_failure.h>
#include <tessera/abi/message_info.h>
#include <tessera/abi/object_sizes.h>

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
