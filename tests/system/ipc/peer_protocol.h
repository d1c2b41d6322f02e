// The cross-address-space ping-pong between the IPC suite and the peer program the ELF loader
// starts: where the peer finds its endpoint, the labels, and the words of each message.
#pragma once

#include <sel4/sel4.h>

namespace ipc_peer {

// The slot of the peer's CSpace holding its badged endpoint to the suite: the first after the
// loader's fault endpoint (seL4_NumInitialCaps, see <tessera/elf/loader.h>).
constexpr seL4_CPtr ServiceSlot = seL4_NumInitialCaps + 1;

constexpr seL4_Word PingLabel = 0x100;   // MR0 = n; the reply carries n + 1
constexpr seL4_Word LengthLabel = 0x200; // + length: pattern words, answered in kind
constexpr seL4_Word DoneLabel = 0x300;   // MR0 = 1 if every reply was right, MR1 = TSC per ping
constexpr seL4_Word Pings = 500;

constexpr seL4_Word Lengths[] = {0, 1, 3, 4, 5, 16, 64, 119, 120};

// A word no two (length, index, direction) share.
constexpr seL4_Word pattern(seL4_Word length, seL4_Word index, seL4_Word direction)
{
    return (direction << 62) ^ (length << 48) ^ ((index + 7) * 0x2545f4914f6cdd1dull);
}

} // namespace ipc_peer
