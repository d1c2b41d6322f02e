// A thread's IPC buffer as the kernel reaches it, remembered beside what it was found from: the
// capability in the thread's Buffer slot and its IPC buffer address. Finding the buffer decodes
// the frame capability (type, device flag, rights, page size, object) on every message longer
// than the registers, twice per direction; the cache turns that into two comparisons.
//
// Nothing needs invalidating. The buffer is a function of those two values alone (the frame's
// memory is reached through the kernel's direct map, so unmapping the frame from the thread's
// address space changes nothing the kernel uses), and the cache answers only when both equal the
// remembered ones: SetIPCBuffer and TCB configure change the address or the slot, deleting or
// revoking the frame capability empties the slot, and any of these makes the next message find
// the buffer again. Only a buffer the thread may write is remembered (it serves reads and writes
// alike); a read-only frame is looked up every time. The zero state (a null capability at
// address 0, no buffer) is itself a true entry: a thread with no buffer has none.
#pragma once

#include "base/types.h"
#include "cap/cap.h"

namespace tessera::core {

// What looking the buffer up found: its words (null for none) and whether the thread may write
// them.
struct FoundIpcBuffer {
    Word* words = nullptr;
    bool writable = false;
};

struct IpcBufferCache {
    Cap cap;
    Word address = 0;
    Word* words = nullptr;

    // Whether `words` is the buffer for a Buffer slot holding `slot_cap` at `buffer_address`.
    bool holds(Cap slot_cap, Word buffer_address) const
    {
        return slot_cap == cap && buffer_address == address;
    }

    // The buffer for `slot_cap` at `buffer_address`, for writing or reading: the remembered one
    // when it holds, else `find()` (a FoundIpcBuffer), remembered when writable.
    template <class Find>
    [[gnu::always_inline]] Word* lookup(Cap slot_cap, Word buffer_address, bool for_write, Find find)
    {
        if (holds(slot_cap, buffer_address)) [[likely]]
            return words;
        const FoundIpcBuffer found = find();
        if (found.writable) {
            cap = slot_cap;
            address = buffer_address;
            words = found.words;
            return found.words;
        }
        return for_write ? nullptr : found.words;
    }
};

} // namespace tessera::core
