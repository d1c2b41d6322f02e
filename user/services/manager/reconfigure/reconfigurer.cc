// Reconfiguration: check first, then stop before start, so that the RAM and slots of stopped
// children are back in the pool when the new ones are charged.
#include "reconfigure/reconfigurer.h"

namespace tessera::manager {

using manager_config::Config;
using manager_config::Difference;

Reconfigurer::Reconfigurer(Config& first, Config& second,
                           const manager_config::Environment& environment, Config* nested)
    : running_(&first), next_(&second), environment_(environment), nested_(nested)
{
}

void Reconfigurer::load(manager_config::Text source, ChildControl& control,
                        manager_config::Diagnostics& diagnostics, LoadReport& report)
{
    report.failed_count = 0;
    report.difference = Difference{};
    if (!manager_config::load(source, environment_, *next_, diagnostics, nested_)) {
        report.outcome = LoadOutcome::Rejected;
        return;
    }
    report.outcome = LoadOutcome::Applied;
    Difference& difference = report.difference;
    difference = manager_config::difference(*running_, *next_);
    for (size_t i = 0; i < difference.stop_count; ++i)
        control.stop(difference.stop[i].text());
    for (size_t i = difference.restart_count; i-- > 0;)
        control.stop(difference.restart[i].text());
    // Starts in the new configuration's order, servers before the clients listed after them.
    for (size_t i = 0; i < next_->child_count; ++i) {
        const manager_config::Child& child = next_->children[i];
        bool wanted = false;
        for (size_t s = 0; s < difference.start_count; ++s)
            wanted = wanted || difference.start[s] == child.name;
        for (size_t r = 0; r < difference.restart_count; ++r)
            wanted = wanted || difference.restart[r] == child.name;
        if (!wanted)
            continue;
        auto started = control.start(child, *next_);
        if (!started) {
            report.failed_why[report.failed_count] = started.error().what;
            report.failed[report.failed_count++] = child.name;
        }
    }
    Config* previous = running_;
    running_ = next_;
    next_ = previous;
}

} // namespace tessera::manager
