// One fuzz operation: a system call with a target, a label, message words and extra
// capabilities, generated from (seed, stream, index) alone and aimed at the world's layout.
#pragma once

#include <sel4/sel4.h>

#include "prng.h"
#include "world.h"

namespace fuzz {

enum class Syscall : uint8_t { Call, Send, NBSend, Recv, NBRecv, Reply, ReplyRecv, Yield };
const char* syscall_name(Syscall syscall);

struct Operation {
    static constexpr unsigned MaxWords = 12;
    static constexpr unsigned MaxCaps = 3;

    Syscall syscall;
    seL4_CPtr target;
    seL4_Word label;
    seL4_Word length;     // the message info's length (may exceed MaxWords or the IPC buffer)
    seL4_Word extra_caps; // the message info's count (may exceed MaxCaps)
    seL4_Word words[MaxWords];
    seL4_CPtr caps[MaxCaps];
    seL4_Word receive_slot; // the world slot a received capability goes to
    seL4_Word receive_depth;
    bool may_fault; // a worker's operation that raises a capability fault if its target is bad
};

// The control thread's operation `index` of a run: mostly invocations (Call), some NBSend,
// Reply and Yield; nothing that can block or fault it.
Operation control_operation(seL4_Word seed, seL4_Word index, const Layout& layout);
// Worker `worker`'s operation `index` of turn `turn`: any system call, blocking ones included.
Operation worker_operation(seL4_Word seed, unsigned worker, seL4_Word turn, seL4_Word index,
                           const Layout& layout);

// What perform() returns for a system call that gets no reply (Send, NBSend, Reply, Yield).
constexpr seL4_Word NoReply = ~seL4_Word{0};

// Performs the operation from the calling thread; returns the reply's label (the error of an
// invocation) or NoReply. The control thread passes may_block = false: a Call or Send that would
// meet an endpoint or fault (no capability there) becomes an NBSend. A worker's operation without may_fault is turned into an NBSend the same way when
// its target would raise a capability fault.
seL4_Word perform(const Operation& op, bool may_block);

// One line: "#index syscall target label=... len=... caps=[...] words=[...]".
void print_operation(seL4_Word index, const Operation& op);

} // namespace fuzz
