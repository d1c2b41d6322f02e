// A small IPC world on the host: pretend physical memory behind a MemoryWindow, a root CNode
// every thread uses as its CSpace, TCBs, endpoints and notifications placed in that memory, a
// fake ArchThread keeping registers and IPC buffers in maps (fake_arch.h), and recording fault reports.
#pragma once

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <tessera/abi/ipc_buffer.h>

#include "base/context.h"
#include "base/message_info.h"
#include "cap/cap_kinds.h"
#include "cdt/cdt.h"
#include "cdt/object_hooks.h"
#include "endpoint/endpoint.h"
#include "fake_arch.h"
#include "fake_object_hooks.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"
#include "tcb/thread_control.h"

namespace tessera::core::test {

struct RecordingReporter final : FaultReporter {
    std::vector<std::pair<Tcb*, std::string>> lines;
    void report(Tcb& tcb, const char* line) override { lines.emplace_back(&tcb, line); }
};

struct NoPreemption final : Preemption {
    bool is_pending() override { return false; }
};

// Finalises IPC objects through the portable finaliser, as the kernel's hooks do, once the world
// sets `ipc` (fake_object_hooks.h).
using IpcHooks = FakeObjectHooks;

// The message info word through the kernel's own layout (base/message_info.h): the raw fields,
// unclamped, so that tests can see what a thread was given.
inline Word info_word(Word label, Word length, Word extra_caps = 0)
{
    return MessageInfo::make(label, 0, extra_caps, length).word();
}
inline Word info_length(Word info)
{
    return MessageInfo::Length::get(info);
}
inline Word info_extra_caps(Word info)
{
    return MessageInfo::ExtraCaps::get(info);
}
inline Word info_unwrapped(Word info)
{
    return MessageInfo::CapsUnwrapped::get(info);
}
inline Word info_label(Word info)
{
    return MessageInfo::Label::get(info);
}

class IpcWorld {
public:
    static constexpr Word PhysBase = 0x100000;
    static constexpr Word Bytes = 1 << 20;
    static constexpr unsigned RootRadix = 8;
    static constexpr Word EndpointArea = 0x10000;
    static constexpr Word NotificationArea = 0x18000;
    static constexpr Word TcbArea = 0x20000;
    static constexpr size_t MaxTcbs = 256;

    IpcWorld()
        : memory_(allocate()), core{MemoryWindow{reinterpret_cast<Word>(memory_) - PhysBase}, hooks,
                                    preemption},
          idle_(*new (memory_ + TcbArea) Tcb{}),
          scheduler(arch, idle_), ctx{core, arch, scheduler, reporter}
    {
        hooks.ipc = &ctx;
        insert_root_cap(root_slot(0), root().cap());
    }
    ~IpcWorld() { std::free(memory_); }
    IpcWorld(const IpcWorld&) = delete;
    IpcWorld& operator=(const IpcWorld&) = delete;

    CNodeCap root() const { return CNodeCap::make(PAddr{PhysBase}, RootRadix, 64 - RootRadix, 0); }
    Slot& root_slot(Word index) { return *core.window.at<Slot>(root().slot_address(index)); }
    Tcb& idle() { return idle_; }

    // A thread that is Running and queued (not yet current), using the root CNode as CSpace.
    Tcb& thread(unsigned priority)
    {
        Tcb* tcb = new (memory_ + TcbArea + (++tcb_count_) * 2048) Tcb{};
        tcb->thread.priority = static_cast<uint8_t>(priority);
        tcb->thread.max_controlled_priority = static_cast<uint8_t>(priority);
        tcb->thread.time_slice = TimeSliceTicks;
        insert_derived(root().cap(), root_slot(0), tcb->slot(TcbSlot::CSpace));
        setup_reply_master(ctx, *tcb);
        tcb->thread.state = ThreadState::Running;
        scheduler.queues(Domain{}).append(*tcb);
        arch.of(*tcb);
        return *tcb;
    }
    // Makes `tcb` the current thread directly (as the kernel's switch would).
    void make_current(Tcb& tcb)
    {
        scheduler.queues(Domain{}).dequeue(tcb);
        scheduler.cpu().current = &tcb;
    }
    // An endpoint object and an all-rights, unbadged capability to it in root slot `slot`.
    EndpointCap endpoint(Word slot)
    {
        PAddr address{PhysBase + EndpointArea + (endpoint_count_++) * 16};
        EndpointCap cap = EndpointCap::make(address, Badge{0}, CapRights::all());
        insert_root_cap(root_slot(slot), cap.cap());
        return cap;
    }
    Endpoint& object(EndpointCap cap) { return *core.window.at<Endpoint>(cap.object()); }
    NotificationCap notification(Word slot)
    {
        PAddr address{PhysBase + NotificationArea + (notification_count_++) * 32};
        NotificationCap cap = NotificationCap::make(address, Badge{0}, CapRights::all());
        insert_root_cap(root_slot(slot), cap.cap());
        return cap;
    }
    Notification& object(NotificationCap cap)
    {
        return *core.window.at<Notification>(cap.object());
    }

    // Loads a message into `tcb`'s registers/buffer: label, words, extra cap CPtrs.
    void load(Tcb& tcb, Word label, const std::vector<Word>& words,
              const std::vector<Word>& caps = {})
    {
        for (size_t i = 0; i < words.size(); ++i)
            arch.set_message_register(tcb, i, words[i]);
        for (size_t i = 0; i < caps.size(); ++i)
            arch.of(tcb).buffer[BufferCapsOrBadges + i] = caps[i];
        arch.of(tcb).info = info_word(label, words.size(), caps.size());
    }
    Word mr(Tcb& tcb, size_t i) { return arch.message_register(tcb, i); }

    FakeArch arch;
    IpcHooks hooks;
    NoPreemption preemption;
    RecordingReporter reporter;

private:
    static unsigned char* allocate()
    {
        auto* memory = static_cast<unsigned char*>(std::aligned_alloc(4096, Bytes));
        std::memset(static_cast<void*>(memory), 0, Bytes);
        return memory;
    }
    unsigned char* memory_;

public:
    CoreContext core;

private:
    Tcb& idle_;

public:
    Scheduler scheduler;
    IpcContext ctx;

private:
    size_t tcb_count_ = 0;
    size_t endpoint_count_ = 0;
    size_t notification_count_ = 0;
};

} // namespace tessera::core::test
