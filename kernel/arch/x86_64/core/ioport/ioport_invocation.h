// The x86 I/O port invocations (seL4 x86 ioport.c): IOPortControl_Issue hands out a port range
// once; IOPort In8..Out32 touch only ports inside the capability's range. Decoding checks
// everything with no side effects; the port access itself goes through the arch's PortAccess.
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_arch_kinds.h"
#include "cap/slot.h"
#include "ioport/issued_ports.h"

namespace tessera::core {

// Bytes one port instruction moves.
enum class PortWidth : unsigned { Bits8 = 1, Bits16 = 2, Bits32 = 4 };

// The in/out instructions, chosen at link time (STYLE rule 9) as InterruptController is: the
// kernel defines these members over the CPU's instructions (devices/device_invocation.cc), the host
// tests over a recorder (tests/host/ipc/fake_ports.cc). `value` is already cut to the width.
class PortAccess {
public:
    Word read(IoPort port, PortWidth width);
    void write(IoPort port, PortWidth width, Word value);

protected:
    // Only the image's own port class makes one.
    PortAccess() = default;
    ~PortAccess() = default;
};

// The IOPort methods in seL4's label order; the kernel maps labels to these.
enum class IoPortMethod { In8, In16, In32, Out8, Out16, Out32 };

// The reply of a successful IOPort invocation: In* answer the value read in one word, Out*
// answer nothing.
struct PortReply {
    Word value;
    Word length;
};

// seL4_X86_IOPortControl_Issue(first, last, root, index, depth) on the IOPortControl capability
// in `control`: a range with a port already issued is RevokeFirst; last < first is
// InvalidArgument 1.
Result<void> invoke_ioport_control_issue(CoreContext& ctx, const Invocation& inv, Slot& control,
                                         IssuedPorts& issued);

// seL4_X86_IOPort_In*/Out*(port[, data]): a port access not wholly inside the capability's range
// is IllegalOperation, as in seL4.
Result<PortReply> invoke_ioport(IoPortMethod method, const Invocation& inv, IoPortCap cap,
                                PortAccess& ports);

// seL4 postCapDeletion of the last capability to a range: its ports may be issued again.
void release_ioport_range(IoPortCap cap, IssuedPorts& issued);

} // namespace tessera::core
