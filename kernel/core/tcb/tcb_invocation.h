// The TCB invocations' portable part (seL4 src/object/tcb.c, non-MCS): decode checks every
// argument, capability and right with no side effects and yields a plan; perform carries the
// plan out and cannot fail (deleting a TCB's old CSpace/VSpace root may be preempted).
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_kinds.h"
#include "tcb/arch_thread.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;
class Notification;

// The TCB methods in seL4's label order; the kernel maps invocation labels to these.
enum class TcbMethod {
    ReadRegisters,
    WriteRegisters,
    CopyRegisters,
    Configure,
    SetPriority,
    SetMCPriority,
    SetSchedParams,
    SetIPCBuffer,
    SetSpace,
    Suspend,
    Resume,
    BindNotification,
    UnbindNotification,
    SetTLSBase,
    SetFlags,
};

// Flag bits of Read/Write/CopyRegisters' first word (libsel4 seL4_TCB_* argument order).
inline constexpr Word SuspendSourceFlag = 1;
inline constexpr Word ResumeTargetFlag = 1;
inline constexpr Word CopyResumeTargetFlag = 2;
inline constexpr Word TransferFrameFlag = 4;
inline constexpr Word TransferIntegerFlag = 8;

struct TcbPlan {
    TcbMethod method;
    Tcb* target;
    Tcb* source = nullptr;               // CopyRegisters
    Word flags = 0;                      // Read/Write/CopyRegisters
    Word count = 0;                      // Read/WriteRegisters
    Word values[UserRegisterCount] = {}; // WriteRegisters
    Word priority = 0;                   // SetPriority, SetSchedParams
    Word mcp = 0;                        // SetMCPriority, SetSchedParams
    Word fault_endpoint = 0;             // Configure, SetSpace
    Word buffer_address = 0;             // Configure, SetIPCBuffer; SetTLSBase: the base
    Word clear_flags = 0;                // SetFlags
    Word set_flags = 0;
    Cap cspace_root{};                   // Configure, SetSpace (derived)
    Slot* cspace_slot = nullptr;
    Cap vspace_root{};
    Slot* vspace_slot = nullptr;
    Cap buffer_frame{}; // Configure, SetIPCBuffer (derived; null for address 0)
    Slot* buffer_slot = nullptr;
    Notification* notification = nullptr; // BindNotification
};

// The reply a successful invocation sends (label 0): ReadRegisters returns registers.
struct TcbReply {
    size_t length = 0;
    Word words[UserRegisterCount] = {};
};

// `caller` is the invoking thread (seL4 ksCurThread), whose MCP limits priorities only through
// the authority TCB passed as an extra capability.
Result<TcbPlan> decode_tcb_invocation(IpcContext& ctx, TcbMethod method, const Invocation& inv,
                                      TcbCap cap, Tcb& caller);
Progress perform_tcb_invocation(IpcContext& ctx, const TcbPlan& plan, TcbReply& reply);

} // namespace tessera::core
