#include "domain/domain_invocation.h"

#include <tessera/abi/invocation_decode.h>

#include "cap/cap_kinds.h"
#include "cap/slot.h"
#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"

namespace tessera::core {
namespace {

struct SetPlan {
    Tcb* thread;
    Domain domain;
};

Result<SetPlan> decode_set(IpcContext& ipc, const DomainLimits& limits, const Invocation& inv)
{
    const auto args = inv.arguments<abi::invocation::DomainSetSet>();
    if (inv.length() == 0)
        return SyscallError::truncated_message().because("DomainSet_Set: no domain argument");
    if (args.domain >= limits.domains)
        return SyscallError::invalid_argument(0).because("DomainSet_Set: no such domain");
    const Slot* thread = inv.extra_cap(abi::invocation::DomainSetSet::thread_cap);
    if (thread == nullptr)
        return SyscallError::truncated_message().because("DomainSet_Set: no TCB capability");
    if (!TcbCap::is(thread->cap))
        return SyscallError::invalid_argument(1).because("DomainSet_Set: not a TCB capability");
    return SetPlan{ipc.core.window.at<Tcb>(TcbCap{thread->cap}.object()), Domain(args.domain)};
}

struct ConfigurePlan {
    Word index;
    DomainEntry entry;
};

// seL4 decodeDomainScheduleConfigure, its checks in its order. The last entry stays an end
// marker, so the schedule always has one to go back to the start from.
Result<ConfigurePlan> decode_configure(const DomainSchedule& schedule, const Invocation& inv)
{
    const DomainLimits& limits = schedule.limits();
    if (inv.length() < 3)
        return SyscallError::truncated_message().because("DomainSet_ScheduleConfigure: fewer than 3 words");
    const auto [index, domain, duration] = inv.arguments<abi::invocation::DomainScheduleConfigure>();
    if (index >= limits.schedule_length - 1)
        return SyscallError::range_error(0, limits.schedule_length - 2)
            .because("DomainSet_ScheduleConfigure: index past the schedule");
    if (domain >= limits.domains)
        return SyscallError::range_error(0, limits.domains - 1).because("DomainSet_ScheduleConfigure: no such domain");
    if (duration > DomainMaxDuration)
        return SyscallError::invalid_argument(2).because("DomainSet_ScheduleConfigure: duration wider than 56 bits");
    if (duration == 0 && domain != 0)
        return SyscallError::invalid_argument(1)
            .because("DomainSet_ScheduleConfigure: an end marker has domain 0 and duration 0");
    if (index == schedule.start() && duration == 0)
        return SyscallError::invalid_argument(2)
            .because("DomainSet_ScheduleConfigure: the start entry cannot be an end marker");
    return ConfigurePlan{index, DomainEntry{Domain(domain), duration}};
}

Result<Word> decode_set_start(const DomainSchedule& schedule, const Invocation& inv)
{
    if (inv.length() == 0)
        return SyscallError::truncated_message().because("DomainSet_ScheduleSetStart: no index");
    const Word index = inv.arguments<abi::invocation::DomainScheduleSetStart>().index;
    if (index >= schedule.limits().schedule_length)
        return SyscallError::range_error(0, schedule.limits().schedule_length - 1)
            .because("DomainSet_ScheduleSetStart: index past the schedule");
    if (schedule.is_end_marker(index))
        return SyscallError::invalid_argument(0).because("DomainSet_ScheduleSetStart: the entry is an end marker");
    return index;
}

} // namespace

Result<Progress> invoke_domain(IpcContext& ipc, DomainMethod method, const Invocation& inv)
{
    Scheduler& scheduler = ipc.scheduler;
    switch (method) {
    case DomainMethod::Set: {
        const auto plan = decode_set(ipc, scheduler.domain_schedule().limits(), inv);
        if (!plan)
            return plan.error();
        scheduler.set_domain(*plan.value().thread, plan.value().domain);
        return Progress::Done;
    }
    case DomainMethod::ScheduleConfigure: {
        const auto plan = decode_configure(scheduler.domain_schedule(), inv);
        if (!plan)
            return plan.error();
        scheduler.domain_schedule().configure(plan.value().index, plan.value().entry);
        return Progress::Done;
    }
    case DomainMethod::ScheduleSetStart: {
        const auto index = decode_set_start(scheduler.domain_schedule(), inv);
        if (!index)
            return index.error();
        scheduler.set_domain_schedule_start(index.value());
        return Progress::Done;
    }
    }
    return SyscallError::illegal_operation().because("Domain: not a DomainSet method");
}

} // namespace tessera::core
