// The TCB invocations' portable part (seL4 src/object/tcb.c, non-MCS): decode checks every
// argument, capability and right with no side effects and yields a plan; perform carries the
// plan out and cannot fail (deleting a TCB's old CSpace/VSpace root may be preempted). Both are
// one function per method family: tcb_decode.cc and tcb_perform.cc.
#pragma once

#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_kinds.h"
#include "tcb/arch_thread.h"

namespace tessera::core {

struct IpcContext;
struct Tcb;
class Notification;

// The TCB methods in seL4's label order; the kernel maps an invocation label L to
// TcbMethod(L - TCBReadRegisters), which the asserts below pin to the generated labels.
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

// The method for `label`, pinned to the invocation table (abi/invocations/generic.def).
constexpr TcbMethod tcb_method_of(Word label)
{
    return TcbMethod(label - TCBReadRegisters);
}
constexpr bool is_tcb_label(Word label)
{
    return label >= TCBReadRegisters && label <= TCBSetFlags;
}
static_assert(tcb_method_of(TCBReadRegisters) == TcbMethod::ReadRegisters);
static_assert(tcb_method_of(TCBWriteRegisters) == TcbMethod::WriteRegisters);
static_assert(tcb_method_of(TCBCopyRegisters) == TcbMethod::CopyRegisters);
static_assert(tcb_method_of(TCBConfigure) == TcbMethod::Configure);
static_assert(tcb_method_of(TCBSetPriority) == TcbMethod::SetPriority);
static_assert(tcb_method_of(TCBSetMCPriority) == TcbMethod::SetMCPriority);
static_assert(tcb_method_of(TCBSetSchedParams) == TcbMethod::SetSchedParams);
static_assert(tcb_method_of(TCBSetIPCBuffer) == TcbMethod::SetIPCBuffer);
static_assert(tcb_method_of(TCBSetSpace) == TcbMethod::SetSpace);
static_assert(tcb_method_of(TCBSuspend) == TcbMethod::Suspend);
static_assert(tcb_method_of(TCBResume) == TcbMethod::Resume);
static_assert(tcb_method_of(TCBBindNotification) == TcbMethod::BindNotification);
static_assert(tcb_method_of(TCBUnbindNotification) == TcbMethod::UnbindNotification);
static_assert(tcb_method_of(TCBSetTLSBase) == TcbMethod::SetTLSBase);
static_assert(tcb_method_of(TCBSetFlags) == TcbMethod::SetFlags);

namespace tcb_flags {
// The first argument word with only the fields `set` names, as the client stub packs it: the
// flag bits come from the invocation table, not from a second list.
template <class Method, class Set> constexpr Word first_word(Set set)
{
    typename Method::Args args{};
    set(args);
    Word words[Method::word_count] = {};
    Method::pack(args, words);
    return words[0];
}
namespace inv = abi::invocation;
} // namespace tcb_flags

// Flag bits of Read/Write/CopyRegisters' first word (libsel4 seL4_TCB_* argument order).
inline constexpr Word SuspendSourceFlag = tcb_flags::first_word<tcb_flags::inv::TCBReadRegisters>(
    [](auto& a) { a.suspend_source = 1; });
inline constexpr Word ResumeTargetFlag = tcb_flags::first_word<tcb_flags::inv::TCBWriteRegisters>(
    [](auto& a) { a.resume_target = 1; });
inline constexpr Word CopyResumeTargetFlag = tcb_flags::first_word<tcb_flags::inv::TCBCopyRegisters>(
    [](auto& a) { a.resume_target = 1; });
inline constexpr Word TransferFrameFlag = tcb_flags::first_word<tcb_flags::inv::TCBCopyRegisters>(
    [](auto& a) { a.transfer_frame = 1; });
inline constexpr Word TransferIntegerFlag = tcb_flags::first_word<tcb_flags::inv::TCBCopyRegisters>(
    [](auto& a) { a.transfer_integer = 1; });
static_assert(tcb_flags::first_word<tcb_flags::inv::TCBCopyRegisters>(
                  [](auto& a) { a.suspend_source = 1; }) == SuspendSourceFlag);

// What a register method does besides moving registers (decoded from the first word).
struct RegisterFlags {
    bool suspend_source = false;   // Read/CopyRegisters
    bool resume_target = false;    // Write/CopyRegisters
    bool transfer_frame = false;   // CopyRegisters
    bool transfer_integer = false; // CopyRegisters
};

struct TcbPlan {
    TcbMethod method;
    Tcb* target;
    Tcb* source = nullptr;               // CopyRegisters
    RegisterFlags flags{};               // Read/Write/CopyRegisters
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
