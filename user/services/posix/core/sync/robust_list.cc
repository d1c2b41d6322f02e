// Linux's order (exit_robust_list): each entry's next link is read before its word is handled,
// and a link that cannot be read ends the walk after that entry's word.
#include "core/sync/robust_list.h"

#include "core/sync/futex_op.h"

namespace tessera::posix {

RobustListWalk::RobustListWalk(AddressSpace& space, uint64_t head) : space_(space), head_(head)
{
    uint64_t words[3] = {};
    if (head == 0 || !space.read(head, words, sizeof words))
        return; // Done: nothing to walk
    entry_ = words[0] & ~uint64_t(1);
    entry_pi_ = (words[0] & 1) != 0;
    offset_ = int64_t(words[1]);
    pending_ = words[2] & ~uint64_t(1);
    pending_pi_ = (words[2] & 1) != 0;
    stage_ = Stage::List;
}

bool RobustListWalk::next(RobustWord& word)
{
    while (stage_ == Stage::List) {
        if (entry_ == head_) {
            stage_ = Stage::Pending;
            break;
        }
        const uint64_t current = entry_;
        const bool current_pi = entry_pi_;
        uint64_t link = 0;
        if (!space_.read(current, &link, sizeof link)) {
            stage_ = Stage::Done;
        } else {
            entry_ = link & ~uint64_t(1);
            entry_pi_ = (link & 1) != 0;
            if (--left_ == 0)
                stage_ = Stage::Pending;
        }
        if (current != pending_) {
            word = {current + uint64_t(offset_), current_pi, false};
            return true;
        }
    }
    if (stage_ == Stage::Pending) {
        stage_ = Stage::Done;
        if (pending_ != 0) {
            word = {pending_ + uint64_t(offset_), pending_pi_, true};
            return true;
        }
    }
    return false;
}

OwnerDeath owner_death(uint32_t value, uint32_t tid, const RobustWord& word)
{
    if (word.pending && !word.pi && value == 0)
        return {false, 0, true};
    if ((value & pi_word::TidMask) != tid)
        return {};
    const bool waiters = (value & pi_word::Waiters) != 0;
    return {true, (value & pi_word::Waiters) | pi_word::OwnerDied, waiters && !word.pi};
}

} // namespace tessera::posix
