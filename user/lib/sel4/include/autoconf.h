/* libsel4-compatible configuration: the seL4 kernel configuration Tessera implements, under
 * seL4's CONFIG_ names so programs that test them compile unchanged. */
#pragma once

#define CONFIG_ARCH_X86 1
#define CONFIG_ARCH_X86_64 1
#define CONFIG_X86_64 1
#define CONFIG_SEL4_ARCH x86_64
#define CONFIG_WORD_SIZE 64
#define CONFIG_SYSCALL 1
#define CONFIG_HUGE_PAGE 1
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_NUM_PRIORITIES 256
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_PRINTING 1
#define CONFIG_DEBUG_BUILD 1
