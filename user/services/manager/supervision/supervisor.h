// One child's restart policy and heartbeat watchdog as a state machine without side effects:
// the manager reports what happened (the child ended, faulted, beat, time passed) and does what
// the returned decision says. Every input has a decision, so a child that faults in a loop or
// never beats ends in Stop or a bounded wait, never in a stuck manager.
#pragma once

#include <stdint.h>

#include <tessera/manager_config/config.h>

namespace tessera::manager {

enum class Milliseconds : uint64_t {};
constexpr uint64_t raw(Milliseconds t)
{
    return static_cast<uint64_t>(t);
}

enum class EndReason : uint8_t { Exited, Faulted, MissedHeartbeat };

enum class Action : uint8_t { Restart, Stop };

struct Decision {
    Action action;
    Milliseconds delay; // Restart: wait this long first
    bool operator==(const Decision&) const = default;
};

// Backoff doubles per fault in a row and stops growing here (an hour, the configuration's limit).
constexpr Milliseconds MaxBackoff{3600000};

class Supervisor {
public:
    Supervisor(const manager_config::Restart& restart, const manager_config::Heartbeat& heartbeat);

    // The child was (re)started at `now`: the watchdog starts counting from here.
    void started(Milliseconds now);
    // The child ended; what to do next. Restarts count against the policy's limit.
    Decision ended(EndReason reason);
    // A heartbeat arrived: the watchdog is satisfied and the fault streak is over.
    void beat(Milliseconds now);
    // Time passed: true when the child has missed `misses` beats in a row and counts as faulted
    // (then the manager stops it and calls ended(MissedHeartbeat)).
    bool watchdog_expired(Milliseconds now) const;

    uint32_t restarts() const { return restarts_; }
    uint32_t streak() const { return streak_; }

private:
    manager_config::Restart restart_;
    manager_config::Heartbeat heartbeat_;
    uint32_t restarts_ = 0;
    uint32_t streak_ = 0; // faults in a row since the last beat
    Milliseconds last_beat_{0};
};

} // namespace tessera::manager
