// A thread's robust futex list (set_robust_list) as Linux walks it when the thread exits or
// calls execve (kernel/futex/core.c, exit_robust_list and handle_futex_death): the list's words
// in order, then the one list_op_pending names, and what becomes of each word the thread owns.
// Read through the thread's own address space: a pointer that cannot be read ends the walk,
// never the server.
#pragma once

#include <stdint.h>

#include "core/vm/address_space.h"

namespace tessera::posix {

// struct robust_list_head: the list's first link, futex_offset, list_op_pending.
inline constexpr uint64_t RobustListHeadSize = 24;
// ROBUST_LIST_LIMIT: a circular or endless list ends here.
inline constexpr unsigned RobustListLimit = 2048;

struct RobustWord {
    uint64_t address = 0; // the lock word: the entry plus futex_offset
    bool pi = false;      // the entry's low bit: a PI futex
    bool pending = false; // list_op_pending's (a lock or unlock under way)
};

class RobustListWalk {
public:
    RobustListWalk(AddressSpace& space, uint64_t head);
    // The next word, false when the walk is over: the list back at its head, the limit reached
    // (then list_op_pending's word still comes), or a link that cannot be read (then nothing
    // more comes, as Linux returns at once). The pending entry is not given twice.
    bool next(RobustWord& word);

private:
    enum class Stage : uint8_t { List, Pending, Done };
    AddressSpace& space_;
    uint64_t head_ = 0, entry_ = 0, pending_ = 0;
    int64_t offset_ = 0;
    bool entry_pi_ = false, pending_pi_ = false;
    unsigned left_ = RobustListLimit;
    Stage stage_ = Stage::Done;
};

// handle_futex_death's rule for a word holding `value`, the dying thread `tid`: a word it owns
// gets FUTEX_OWNER_DIED (FUTEX_WAITERS kept, the tid cleared) and, unless PI, one waiter woken
// when it had any; list_op_pending's non-PI word at 0 (an unlock that had not woken yet) wakes
// one waiter; any other word is left alone.
struct OwnerDeath {
    bool store = false;
    uint32_t value = 0; // what to store
    bool wake = false;
};
OwnerDeath owner_death(uint32_t value, uint32_t tid, const RobustWord& word);

} // namespace tessera::posix
