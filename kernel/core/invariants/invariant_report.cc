// Formatting of the checker's one line, and the names it uses for kinds and states.

#include "invariants/invariant_report.h"

#include <stdarg.h>

#include <tessera/format.h>

namespace tessera::core {

void InvariantReport::fail(const char* format, ...)
{
    if (broken_)
        return;
    broken_ = true;
    va_list args;
    va_start(args, format);
    tessera_vsnprintf(line_, sizeof line_, format, args);
    va_end(args);
}

const char* cap_type_name(CapType type)
{
    switch (type) {
    case CapType::Null:
        return "Null";
    case CapType::Untyped:
        return "Untyped";
    case CapType::Endpoint:
        return "Endpoint";
    case CapType::Notification:
        return "Notification";
    case CapType::Reply:
        return "Reply";
    case CapType::CNode:
        return "CNode";
    case CapType::Tcb:
        return "TCB";
    case CapType::IrqControl:
        return "IrqControl";
    case CapType::IrqHandler:
        return "IrqHandler";
    case CapType::Zombie:
        return "Zombie";
    case CapType::Domain:
        return "Domain";
    case CapType::Frame:
        return "Frame";
    case CapType::PageTable:
        return "PageTable";
    case CapType::PageDirectory:
        return "PageDirectory";
    case CapType::Pdpt:
        return "PDPT";
    case CapType::Pml4:
        return "PML4";
    case CapType::AsidControl:
        return "AsidControl";
    case CapType::AsidPool:
        return "AsidPool";
    case CapType::IoPortControl:
        return "IoPortControl";
    case CapType::IoPort:
        return "IoPort";
    case CapType::SvmVcpu:
        return "SvmVcpu";
    }
    return "unknown kind";
}

const char* thread_state_name(ThreadState state)
{
    switch (state) {
    case ThreadState::Inactive:
        return "Inactive";
    case ThreadState::Running:
        return "Running";
    case ThreadState::Restart:
        return "Restart";
    case ThreadState::BlockedOnReceive:
        return "BlockedOnReceive";
    case ThreadState::BlockedOnSend:
        return "BlockedOnSend";
    case ThreadState::BlockedOnReply:
        return "BlockedOnReply";
    case ThreadState::BlockedOnNotification:
        return "BlockedOnNotification";
    case ThreadState::IdleThreadState:
        return "IdleThreadState";
    }
    return "unknown state";
}

} // namespace tessera::core
