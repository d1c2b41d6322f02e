// seL4's domain schedule stepping (non-MCS: durations count kernel timer ticks).

#include "scheduler/domain_schedule.h"

namespace tessera::core {

bool DomainSchedule::tick()
{
    if (remaining_ == 0) // already over: the reschedule it asked for has not run yet
        return false;
    --remaining_;
    return remaining_ == 0;
}

bool DomainSchedule::is_scheduled(Domain domain) const
{
    for (Word index = start_; index < limits_.schedule_length && !is_end_marker(index); ++index)
        if (entries_[index].domain == domain)
            return true;
    return false;
}

void DomainSchedule::advance()
{
    ++index_;
    // The last entry can never be configured, so it is always an end marker; the bound only
    // covers set_start's "past the end" position.
    if (index_ >= limits_.schedule_length || is_end_marker(index_))
        index_ = start_;
    current_ = entries_[index_].domain;
    remaining_ = entries_[index_].duration;
}

void DomainSchedule::set_start(Word index)
{
    start_ = index;
    // seL4 leaves the index just before the last (end marker) entry so that the next advance
    // lands on the new start; past the end says the same without relying on that entry.
    index_ = limits_.schedule_length;
    remaining_ = 0;
}

} // namespace tessera::core
