// seL4's IOPortControl_Issue refuses an occupied destination with DeleteFirst, so the free slot is
// found by asking from the top of the BootInfo's empty region downwards, where a program's own
// slot allocator (which works upwards) is least likely to have been.
#include "exit_device.h"

namespace tessera::runtime {
namespace {

constexpr seL4_Word SlotsTried = 64;

} // namespace

void write_exit_device(seL4_SlotRegion empty, seL4_Word status)
{
    const seL4_Word value = status < LargestExitStatus ? status : LargestExitStatus;
    for (seL4_Word tried = 0; tried < SlotsTried && empty.end > empty.start + tried; ++tried) {
        const seL4_CPtr slot = empty.end - 1 - tried;
        const seL4_Error issued = seL4_X86_IOPortControl_Issue(
            seL4_CapIOPortControl, ExitDevicePort, ExitDevicePort + 3, seL4_CapInitThreadCNode,
            slot, seL4_WordBits);
        if (issued == seL4_DeleteFirst)
            continue;
        if (issued != seL4_NoError)
            return;
        (void)seL4_X86_IOPort_Out32(slot, ExitDevicePort, value);
        // Still running: there is no exit device on this machine. Leave the slot as it was.
        (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
        return;
    }
}

} // namespace tessera::runtime
