// Restart decisions and the watchdog for one child.
#include "supervision/supervisor.h"

namespace tessera::manager {

using manager_config::RestartPolicy;

Supervisor::Supervisor(const manager_config::Restart& restart,
                       const manager_config::Heartbeat& heartbeat)
    : restart_(restart), heartbeat_(heartbeat)
{
}

void Supervisor::started(Milliseconds now)
{
    last_beat_ = now;
}

Decision Supervisor::ended(EndReason reason)
{
    const bool fault = reason != EndReason::Exited;
    if (fault)
        ++streak_;
    const bool wanted = restart_.policy == RestartPolicy::Always ||
                        (restart_.policy == RestartPolicy::OnFault && fault);
    const bool within_limit = restart_.limit == 0 || restarts_ < restart_.limit;
    if (!wanted || !within_limit)
        return Decision{Action::Stop, Milliseconds{0}};
    ++restarts_;
    // backoff_ms << (streak - 1), saturating: a clean exit restarts after the plain backoff.
    uint64_t delay = restart_.backoff_ms;
    for (uint32_t i = 1; i < streak_ && delay != 0 && delay < raw(MaxBackoff); ++i)
        delay *= 2;
    if (delay > raw(MaxBackoff))
        delay = raw(MaxBackoff);
    return Decision{Action::Restart, Milliseconds{delay}};
}

void Supervisor::beat(Milliseconds now)
{
    last_beat_ = now;
    streak_ = 0;
}

bool Supervisor::watchdog_expired(Milliseconds now) const
{
    if (!heartbeat_.enabled)
        return false;
    const uint64_t allowed = uint64_t{heartbeat_.period_ms} * heartbeat_.misses;
    return raw(now) >= raw(last_beat_) && raw(now) - raw(last_beat_) >= allowed;
}

} // namespace tessera::manager
