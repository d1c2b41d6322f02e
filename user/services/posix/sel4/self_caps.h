// The capabilities the server names itself by: seL4's root-task slots when it is the root task,
// the slots a `<manager ram= caps=>` protection domain holds (spec.h, TESSERA_MANAGER_SLOT_*)
// when it is a PD. Set once by the start-up (sel4/platform.cc), before anything uses them.
#pragma once

#include <sel4/sel4.h>

namespace tessera::posix::sel4 {

struct SelfCaps {
    seL4_CPtr cnode = seL4_CapInitThreadCNode; // resolves a whole word (depth seL4_WordBits)
    seL4_CPtr vspace = seL4_CapInitThreadVSpace;
    seL4_CPtr tcb = seL4_CapInitThreadTCB;
    seL4_CPtr asid_pool = seL4_CapInitThreadASIDPool;
};

// The server's own; the root task's until a PD start-up replaces them.
inline SelfCaps self_caps_storage;
inline const SelfCaps& self_caps()
{
    return self_caps_storage;
}

} // namespace tessera::posix::sel4
