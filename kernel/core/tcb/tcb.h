// The TCB object as the portable core sees it: the five capability slots kernel/core expects at
// the object's start, then the thread state, then an area the arch owns for registers and FPU.
#pragma once

#include <cstddef>
#include <cstdint>

#include <tessera/abi/object_sizes.h>
#include <tessera/abi/tcb_flags.h>

#include "base/types.h"
#include "cap/cap_kinds.h"
#include "cap/slot.h"
#include "ipc/cspace_root_cache.h"

namespace tessera::core {

class Endpoint;
class Notification;
struct Tcb;

// seL4's thread states (manual, "Thread states"); the numbering is internal.
enum class ThreadState : uint8_t {
    Inactive,
    Running,
    Restart,
    BlockedOnReceive,
    BlockedOnSend,
    BlockedOnReply,
    BlockedOnNotification,
    IdleThreadState,
};

// Indices of the TCB's own slots (seL4 tcb_cnode_index, non-MCS).
enum class TcbSlot : size_t { CSpace = 0, VSpace = 1, Reply = 2, Caller = 3, Buffer = 4 };

// The fault a thread raised, kept until it is delivered as a message (seL4 seL4_Fault_t).
// TCB_SetFlags bits (abi/tcb_flags.h): seL4's fpuDisabled and Tessera's foreignSyscalls; bits
// outside the mask are ignored, as seL4 does.
inline constexpr Word TcbFlagFpuDisabled = TESSERA_TCBFlag_fpuDisabled;
inline constexpr Word TcbFlagForeignSyscalls = TESSERA_TCBFlag_foreignSyscalls;
inline constexpr Word TcbFlagMask = TcbFlagFpuDisabled | TcbFlagForeignSyscalls;
static_assert(TcbFlagMask == TESSERA_TCBFlag_MASK);

enum class FaultKind : uint8_t { None, CapFault, UnknownSyscall, UserException, VmFault };
// A thread's fault record. Every word but `kind` means something only while `kind` is not None:
// a fault writes them all (handle_fault, the fault fastpath), and a fault's end may clear the
// kind alone (the fastpath's reply does; nothing reads the rest of a record without a kind).
struct PendingFault {
    FaultKind kind = FaultKind::None;
    Word address = 0;    // cap fault: the CPtr; VM fault: the faulting address
    Word in_receive = 0; // cap fault: 1 when the lookup was the receive phase
    Word detail[4] = {}; // cap fault: lookup failure words; VM fault: prefetch, FSR;
                         // user exception: number, code; unknown syscall: the number
    size_t detail_words = 0;
};

// Whether a thread waits to be replied to after its send (Call) or its fault.
enum class CallKind : uint8_t { Send, Call };

// Thread state proper. Kernel pointers link TCBs into queues, as in seL4: queue links never
// leave the kernel and are followed on every IPC.
struct TcbState {
    ThreadState state = ThreadState::Inactive;
    uint8_t priority = 0;
    uint8_t max_controlled_priority = 0;
    uint8_t domain = 0;
    bool in_ready_queue = false;
    CallKind blocked_call = CallKind::Send;       // BlockedOnSend: sent with Call or as a fault
    bool blocked_can_grant = false;               // BlockedOnSend: the send cap's Grant right
    bool blocked_can_grant_reply = false;         // BlockedOnSend: the send cap's GrantReply right
    bool blocked_is_fault = false;                // BlockedOnSend/Reply: the message is a fault
    Badge blocked_badge{};                        // BlockedOnSend: the badge to deliver
    Endpoint* blocked_endpoint = nullptr;         // BlockedOnSend/Receive
    Notification* blocked_notification = nullptr; // BlockedOnNotification
    Tcb* ready_next = nullptr;
    Tcb* ready_prev = nullptr;
    Tcb* queue_next = nullptr; // endpoint or notification queue
    Tcb* queue_prev = nullptr;
    Notification* bound_notification = nullptr;
    CPtr fault_endpoint{};
    VAddr ipc_buffer{};
    VAddr tls_base{};
    Word flags = 0; // TCB_SetFlags: seL4_TCBFlag bits
    Word time_slice = 0;
    PendingFault fault{};
    char name[32] = {}; // seL4_DebugNameThread; for the kernel's one-line reports
    CSpaceRootCache cspace_root{}; // the IPC fastpath's decoded CSpace root (ipc/fastpath_steps.h)
};

// The TCB object (1 << seL4_TCBBits bytes, aligned to its size). The arch area holds the user
// register file and FPU state; only kernel/arch interprets it.
struct Tcb {
    Slot slots[TcbSlotCount];
    TcbState thread;
    alignas(64) std::byte arch[1024];

    Slot& slot(TcbSlot which) { return slots[static_cast<size_t>(which)]; }
    ThreadState state() const { return thread.state; }
    // A foreign thread's every `syscall` is an UnknownSyscall fault (TcbFlagForeignSyscalls).
    bool is_foreign() const { return (thread.flags & TcbFlagForeignSyscalls) != 0; }
    // The name the kernel's one-line reports use: seL4_DebugNameThread's, else "thread".
    const char* display_name() const { return thread.name[0] ? thread.name : "thread"; }
    // seL4 isRunnable: the scheduler may pick it.
    bool is_runnable() const
    {
        return thread.state == ThreadState::Running || thread.state == ThreadState::Restart;
    }
    // seL4 isBlocked.
    bool is_blocked() const
    {
        switch (thread.state) {
        case ThreadState::BlockedOnReceive:
        case ThreadState::BlockedOnSend:
        case ThreadState::BlockedOnReply:
        case ThreadState::BlockedOnNotification:
            return true;
        default:
            return false;
        }
    }
};

static_assert(sizeof(Tcb) <= (size_t{1} << seL4_TCBBits), "TCB fits its seL4 object size");
static_assert(offsetof(Tcb, slots) == 0, "kernel/core expects the TCB's slots first");

inline constexpr unsigned MaxPriority = 255;
inline constexpr unsigned PriorityCount = 256;
// seL4's default CONFIG_TIME_SLICE (ticks).
inline constexpr Word TimeSliceTicks = 5;

} // namespace tessera::core
