// Applying a configuration as a difference: the running configuration is replaced only by one
// that reads and checks cleanly; then removed and changed children stop, new and changed ones
// start, untouched ones keep running. The kernel work is behind ChildControl, so the logic is
// host-tested with a fake.
#pragma once

#include <stddef.h>

#include <tessera/libos/result.h>
#include <tessera/manager_config/manager_config.h>

namespace tessera::manager {

// What the manager does to one child. The component implements it with kernel calls.
class ChildControl {
public:
    // Starts `child` of `config` (quotas, program, routes, devices). May fail: the child then
    // stays stopped and the others are unaffected.
    virtual libos::Result<void> start(const manager_config::Child& child,
                                      const manager_config::Config& config) = 0;
    // Stops the child and gives back everything it had. Cannot fail.
    virtual void stop(manager_config::Text name) = 0;

protected:
    ~ChildControl() = default;
};

enum class LoadOutcome : uint8_t { Applied, Rejected };

struct LoadReport {
    LoadOutcome outcome = LoadOutcome::Rejected;
    manager_config::Difference difference;                    // Applied: what changed
    manager_config::Name failed[manager_config::MaxChildren]; // Applied: starts that failed
    const char* failed_why[manager_config::MaxChildren] = {};  // and each one's reason
    size_t failed_count = 0;
};

class Reconfigurer {
public:
    // Two configuration buffers (large: a component gives static ones): the running one and the
    // one being read. Both start empty, i.e. no children.
    // `nested` (optional, as large): room to check the nested <manager> of a child that runs a
    // manager; without it such a configuration is rejected.
    Reconfigurer(manager_config::Config& first, manager_config::Config& second,
                 const manager_config::Environment& environment,
                 manager_config::Config* nested = nullptr);

    // Reads and checks `source`; on any error reports it into `diagnostics`, calls nothing and
    // keeps the running configuration. Otherwise applies the difference through `control`.
    void load(manager_config::Text source, ChildControl& control,
              manager_config::Diagnostics& diagnostics, LoadReport& report);

    const manager_config::Config& running() const { return *running_; }

private:
    manager_config::Config* running_;
    manager_config::Config* next_;
    manager_config::Environment environment_;
    manager_config::Config* nested_;
};

} // namespace tessera::manager
