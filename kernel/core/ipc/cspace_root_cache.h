// A thread's CSpace root decoded for the IPC fastpath's lookup, remembered beside the root
// capability's first word. The fastpath takes a root CNode whose guard and radix resolve all 64
// bits in one level (seL4 lookup_fp's common case); decoding it (kind, radix, guard size, slot
// array, index mask) on every system call costs more than the lookup itself, the cache turns it
// into one comparison.
//
// Nothing needs invalidating. Everything remembered is a function of the capability's first word
// alone (kind, guard size, radix and object are all in it; the guard, in the second word, is
// compared live), and the cache answers only while the thread's CSpace slot holds that word.
// The first word is kept inverted, so that the zero state (a TCB's memory is zeroed when it is
// created) stands for a first word of all ones, which no capability has (its kind would be 31):
// it matches nothing, not even a null root, and a hit always has a slot array, so the lookup
// needs no test for a null slot (one `not` where that test took two instructions).
#pragma once

#include "base/types.h"
#include "cap/slot.h"

namespace tessera::core {

// The last kind (cap.h): a first word of all ones is no capability's while kind 31 is unused.
static_assert(static_cast<Word>(CapType::SvmVcpu) < 31);

struct CSpaceRootCache {
    Word inverted_root_word0 = 0; // ~ the CSpace root capability's first word the rest was decoded from
    Word radix = 0;      // CPtr bits the root CNode resolves; the guard takes the rest
    Word index_mask = 0; // (1 << radix) - 1
    Slot* slots = nullptr;
};

} // namespace tessera::core
