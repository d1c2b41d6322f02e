#include "core/sysv/semaphore_set.h"

#include <new>

namespace tessera::posix::sysv {

Result<void> SemaphoreSet::make(uint32_t n)
{
    values = new (std::nothrow) uint16_t[n > 0 ? n : 1]();
    last_pids = new (std::nothrow) int32_t[n > 0 ? n : 1]();
    if (values == nullptr || last_pids == nullptr)
        return Errno::NoMem;
    count = n;
    return {};
}

Result<SemaphoreSet::Outcome> SemaphoreSet::apply(const linux::sysv::Sembuf* operations, size_t n,
                                                  int32_t pid, int64_t now)
{
    for (size_t i = 0; i < n; ++i) {
        if (operations[i].number >= count)
            return Errno::FBig;
    }
    // Tried on the values in order (an operation sees the earlier ones'), kept only if all pass.
    constexpr size_t Tried = 8;
    struct Change {
        uint16_t number;
        int32_t value;
    } changes[Tried];
    size_t changed = 0;
    auto current = [&](uint16_t number) {
        for (size_t c = changed; c-- > 0;)
            if (changes[c].number == number)
                return changes[c].value;
        return int32_t(values[number]);
    };
    bool blocked = false;
    int32_t* scratch = nullptr;
    if (n > Tried) { // more than a few: a whole copy of the values
        scratch = new (std::nothrow) int32_t[count];
        if (scratch == nullptr)
            return Errno::NoMem;
        for (uint32_t s = 0; s < count; ++s)
            scratch[s] = values[s];
    }
    Result<Outcome> outcome = Outcome::Applied;
    for (size_t i = 0; i < n && !blocked; ++i) {
        const linux::sysv::Sembuf& o = operations[i];
        const int32_t value = scratch ? scratch[o.number] : current(o.number);
        const int32_t result = value + o.operation;
        if (o.operation == 0 ? value != 0 : result < 0) {
            if (o.flags & int16_t(linux::sysv::NoWait)) // the operation that would wait says
                outcome = Errno::Again;
            blocked = true;
        } else if (result > int32_t(linux::sysv::SemVmx)) {
            outcome = Errno::Range;
            break;
        } else if (scratch) {
            scratch[o.number] = result;
        } else {
            changes[changed++] = {o.number, result};
        }
    }
    if (outcome && !blocked) {
        for (size_t i = 0; i < n; ++i) {
            const uint16_t number = operations[i].number;
            values[number] = uint16_t(scratch ? scratch[number] : current(number));
            last_pids[number] = pid;
        }
        operation_time = now;
    }
    delete[] scratch;
    if (!outcome)
        return outcome;
    return blocked ? Outcome::WouldBlock : Outcome::Applied;
}

linux::sysv::SemidDs SemaphoreSet::status() const
{
    linux::sysv::SemidDs s{};
    s.perm = identity.perm();
    s.operation_time = operation_time;
    s.change_time = identity.change_time;
    s.count = count;
    return s;
}

void SemaphoreSet::reset()
{
    delete[] values;
    delete[] last_pids;
    *this = SemaphoreSet{};
}

} // namespace tessera::posix::sysv
