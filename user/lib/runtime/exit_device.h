// The root task's way to end the whole system with a status through seL4's ABI alone, so that it
// works on Tessera's kernel and on seL4's, debug and release builds alike.
#pragma once

#include <sel4/sel4.h>

namespace tessera::runtime {

// The exit device every boot has (QEMU's isa-debug-exit at I/O port 0xf4, added by
// scripts/launch.py): writing s makes QEMU exit with (s << 1) | 1.
inline constexpr seL4_Word ExitDevicePort = 0xf4;
// Statuses from 110 up are the kernel's (panic 110, refused boot 111) and the launcher's own.
inline constexpr seL4_Word LargestExitStatus = 109;

// Issues an I/O port capability for the exit device from the root task's IOPortControl into a
// free slot of its CNode, looked for in `empty` (the BootInfo's empty region, saved at start-up:
// the program may have deleted the BootInfo frame since), and writes `status` (clamped to
// LargestExitStatus) to it. Returns only when it could not: no IOPortControl any more (the
// program deleted it) or no free slot.
void write_exit_device(seL4_SlotRegion empty, seL4_Word status);

} // namespace tessera::runtime
