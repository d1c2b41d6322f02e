// The walk that finds everything the checker verifies. Queue walks here are bounded so that a
// cyclic queue cannot hang the gathering; the queue checks report the cycle itself.

#include "invariants/invariant_world.h"

#include "cap/cap_kinds.h"
#include "cap/cap_region.h"

namespace tessera::core {

void InvariantWorkspace::clear()
{
    slots.clear();
    threads.clear();
    endpoints.clear();
    notifications.clear();
    physical_count = 0;
    for (auto& seen : sightings)
        seen = ThreadSightings{};
}

namespace {

class Gatherer {
public:
    Gatherer(const CoreContext& ctx, InvariantWorkspace& workspace, InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), report_(report)
    {
    }

    void add(Slot* slot)
    {
        note(workspace_.slots.insert(slot), "slots", workspace_.slots.capacity);
    }
    void add(Tcb* tcb)
    {
        if (tcb != nullptr)
            note(workspace_.threads.insert(tcb), "threads", workspace_.threads.capacity);
    }
    void add(Endpoint* endpoint)
    {
        if (endpoint != nullptr)
            note(workspace_.endpoints.insert(endpoint), "endpoints", workspace_.endpoints.capacity);
    }
    void add(Notification* notification)
    {
        if (notification != nullptr)
            note(workspace_.notifications.insert(notification), "notifications",
                 workspace_.notifications.capacity);
    }

    // Threads linked through queue_next from `head`, at most one more than the thread limit.
    void add_queue(Tcb* head)
    {
        for (size_t steps = 0; head != nullptr && steps <= workspace_.threads.capacity; ++steps) {
            add(head);
            head = head->thread.queue_next;
        }
    }

    void add_ready_queues(const CpuState& cpu)
    {
        add(cpu.current);
        add(cpu.idle);
        add(cpu.candidate);
        for (const ReadyQueues& ready : cpu.ready)
            for (unsigned priority = 0; priority < PriorityCount; ++priority) {
                Tcb* tcb = ready.head(priority);
                for (size_t steps = 0; tcb != nullptr && steps <= workspace_.threads.capacity; ++steps) {
                    add(tcb);
                    tcb = tcb->thread.ready_next;
                }
            }
    }

    // Repeats until no set grows: each new slot, thread or object may lead to more.
    void close()
    {
        size_t slot = 0, thread = 0, endpoint = 0, notification = 0;
        while (!report_.is_broken()) {
            bool grew = false;
            for (; slot < workspace_.slots.size() && !report_.is_broken(); ++slot, grew = true)
                visit(*workspace_.slots.at(slot));
            for (; thread < workspace_.threads.size() && !report_.is_broken();
                 ++thread, grew = true)
                visit(*workspace_.threads.at(thread));
            for (; endpoint < workspace_.endpoints.size(); ++endpoint, grew = true)
                add_queue(workspace_.endpoints.at(endpoint)->head());
            for (; notification < workspace_.notifications.size(); ++notification, grew = true) {
                Notification* object = workspace_.notifications.at(notification);
                add_queue(object->head());
                add(object->bound_tcb());
            }
            if (!grew)
                return;
        }
    }

private:
    void note(Insertion insertion, const char* what, size_t limit)
    {
        if (insertion == Insertion::Full)
            report_.fail("checker: more than %zu %s reachable; raise InvariantWorkspace's limit",
                         limit, what);
    }

    void visit(Slot& slot)
    {
        if (slot.mdb.prev() != nullptr)
            add(slot.mdb.prev());
        if (slot.mdb.next() != nullptr)
            add(slot.mdb.next());
        Cap cap = slot.cap;
        switch (cap.type()) {
        case CapType::CNode: {
            CNodeCap cnode{cap};
            for (Word index = 0; index < bit(cnode.radix()) && !report_.is_broken(); ++index)
                add(ctx_.window.at<Slot>(cnode.slot_address(index)));
            break;
        }
        case CapType::Tcb:
            add(ctx_.window.at<Tcb>(TcbCap{cap}.object()));
            break;
        case CapType::Reply:
            add(ctx_.window.at<Tcb>(ReplyCap{cap}.tcb()));
            break;
        case CapType::Endpoint:
            add(ctx_.window.at<Endpoint>(EndpointCap{cap}.object()));
            break;
        case CapType::Notification:
            add(ctx_.window.at<Notification>(NotificationCap{cap}.object()));
            break;
        default:
            break;
        }
    }

    void visit(Tcb& tcb)
    {
        for (Slot& slot : tcb.slots)
            add(&slot);
        add(tcb.thread.blocked_endpoint);
        add(tcb.thread.blocked_notification);
        add(tcb.thread.bound_notification);
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    InvariantReport& report_;
};

} // namespace

void gather_invariant_world(const CoreContext& ctx, RootSlots roots, const CpuState& cpu,
                            InvariantWorkspace& workspace, InvariantReport& report)
{
    workspace.clear();
    Gatherer gatherer{ctx, workspace, report};
    for (size_t i = 0; i < roots.count; ++i)
        gatherer.add(roots.slots[i]);
    gatherer.add_ready_queues(cpu);
    gatherer.close();
    for (size_t i = 0; i < workspace.slots.size(); ++i)
        if (is_physical(workspace.slots.at(i)->cap))
            workspace.physical[workspace.physical_count++] = workspace.slots.at(i);
}

} // namespace tessera::core
