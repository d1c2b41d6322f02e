// The scheduler: the highest priority runs first, equal priorities take turns on seL4_Yield, a
// woken higher-priority thread preempts at once while an equal one queues behind, and the timer
// preempts a thread that never gives up the CPU.
#include "suite.h"

#include <stdio.h>

namespace ipc_suite {
namespace {

// Every worker appends its mark here when it runs; the root task reads it after joining.
struct Log {
    volatile char marks[64];
    volatile unsigned count;
    void add(char mark)
    {
        const unsigned at = count;
        if (at < sizeof(marks) - 1) {
            marks[at] = mark;
            count = at + 1;
        }
    }
    bool is(const char* expected) const
    {
        unsigned i = 0;
        for (; expected[i] != '\0'; i++) {
            if (i >= count || marks[i] != expected[i])
                return false;
        }
        return i == count;
    }
    void print(const char* name) const
    {
        printf("%s: order ", name);
        for (unsigned i = 0; i < count; i++)
            printf("%c", marks[i]);
        printf("\n");
    }
};

Log log;

struct Marker {
    char mark;
    int rounds;
    seL4_CPtr notification;
};

void* mark_once(void* argument)
{
    log.add(static_cast<Marker*>(argument)->mark);
    return nullptr;
}

void* mark_and_yield(void* argument)
{
    const Marker& m = *static_cast<Marker*>(argument);
    for (int i = 0; i < m.rounds; i++) {
        log.add(m.mark);
        seL4_Yield();
    }
    return nullptr;
}

void* wait_then_mark(void* argument)
{
    const Marker& m = *static_cast<Marker*>(argument);
    seL4_Wait(m.notification, nullptr);
    log.add(m.mark);
    return nullptr;
}

// Marks lowercase, signals, marks uppercase.
void* mark_signal_mark(void* argument)
{
    const Marker& m = *static_cast<Marker*>(argument);
    log.add(m.mark);
    seL4_Signal(m.notification);
    log.add(char(m.mark - 'a' + 'A'));
    return nullptr;
}

void reset_log()
{
    log.count = 0;
}

void check_log(const char* name, const char* expected)
{
    if (!log.is(expected))
        log.print(name);
    check(name, log.is(expected));
}

void priority_order()
{
    reset_log();
    Marker low{'l', 0, 0}, high{'h', 0, 0}, middle{'m', 0, 0};
    // Started low first: none runs until the root task blocks, then strictly by priority.
    Thread* threads[3] = {spawn(mark_once, &low, 100), spawn(mark_once, &high, 150),
                          spawn(mark_once, &middle, 120)};
    finish({threads[0], threads[1], threads[2]});
    check_log("sched.priority_order", "hml");
}

void round_robin()
{
    reset_log();
    Marker a{'a', 3, 0}, b{'b', 3, 0};
    Thread* first = spawn(mark_and_yield, &a, 100);
    Thread* second = spawn(mark_and_yield, &b, 100);
    finish({first, second});
    // seL4 queues a resumed thread at the head of its priority, so either may go first; after
    // that they alternate.
    if (!log.is("ababab") && !log.is("bababa"))
        log.print("sched.round_robin_on_yield");
    check("sched.round_robin_on_yield", log.is("ababab") || log.is("bababa"));

    // Yield with nobody else at the priority returns at once.
    reset_log();
    Marker alone{'x', 2, 0};
    Thread* only = spawn(mark_and_yield, &alone, 100);
    finish({only});
    check_log("sched.yield_alone_continues", "xx");
}

void wake_up_order()
{
    const seL4_CPtr notification = make(seL4_NotificationObject);
    // Higher priority woken: it runs before the signaller's next step.
    reset_log();
    Marker waiter{'H', 0, notification}, signaller{'l', 0, notification};
    Thread* high = spawn(wait_then_mark, &waiter, 150);
    Thread* low = spawn(mark_signal_mark, &signaller, 100);
    finish({high, low});
    check_log("sched.woken_higher_priority_preempts", "lHL");

    // Equal priority woken: it waits its turn.
    reset_log();
    Marker peer{'P', 0, notification}, equal{'e', 0, notification};
    high = spawn(wait_then_mark, &peer, 100);
    low = spawn(mark_signal_mark, &equal, 100);
    finish({high, low});
    check_log("sched.woken_equal_priority_queues_behind", "eEP");
}

// Two spinners at one priority that never yield: each sees the other's progress only if the timer
// preempts it. Bounded, so a kernel without preemption fails the test instead of hanging.
struct Spinner {
    volatile seL4_Word count;
    volatile bool saw_other;
    Spinner* other;
};

constexpr seL4_Word SpinLimit = 200'000'000;

void* spin(void* argument)
{
    Spinner& s = *static_cast<Spinner*>(argument);
    for (seL4_Word i = 0; i < SpinLimit; i++) {
        s.count = s.count + 1;
        if (s.other->count > 0) {
            s.saw_other = true;
            break;
        }
    }
    return nullptr;
}

void timer_preemption()
{
    static Spinner a, b;
    a = Spinner{0, false, &b};
    b = Spinner{0, false, &a};
    Thread* first = spawn(spin, &a, 100);
    Thread* second = spawn(spin, &b, 100);
    finish({first, second});
    if (!a.saw_other || !b.saw_other)
        printf("sched.timer_preempts_spinner: counts %lu %lu\n", a.count, b.count);
    check("sched.timer_preempts_spinner", a.saw_other && b.saw_other);
}

} // namespace

void scheduling_tests()
{
    priority_order();
    round_robin();
    wake_up_order();
    timer_preemption();
}

} // namespace ipc_suite
