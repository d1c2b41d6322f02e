// A binary notification like seL4's for host threads: signals merge, a wait consumes them all.
// A wait that sees no signal for two seconds is a lost wake-up: it is counted (so a protocol
// bug fails its test instead of hanging it) and the waiter carries on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace tessera::test {

class HostNotification {
public:
    void signal()
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
        condition_.notify_one();
    }
    void wait()
    {
        std::unique_lock lock(mutex_);
        if (!condition_.wait_for(lock, std::chrono::seconds(2), [&] { return pending_; }))
            lost_wakeups_.fetch_add(1);
        pending_ = false;
    }
    int lost_wakeups() const { return lost_wakeups_.load(); }

private:
    std::atomic<int> lost_wakeups_{0};
    std::mutex mutex_;
    std::condition_variable condition_;
    bool pending_ = false;
};

} // namespace tessera::test
