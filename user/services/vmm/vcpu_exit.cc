#include "vcpu_exit.h"

namespace tessera::services::vmm {
namespace {

// TESSERA_SVMField order (the message's RAX..R15) to the encoding's: RSP is absent there.
constexpr unsigned MessageOrder[15] = {reg::Rax, reg::Rbx, reg::Rcx, reg::Rdx, reg::Rsi,
                                       reg::Rdi, reg::Rbp, 8,        9,        10,
                                       11,       12,       13,       14,       15};

} // namespace

VcpuExit exit_from_message(const uint64_t (&words)[VmEnterWords])
{
    VcpuExit e{};
    e.code = words[TESSERA_VMEnter_ExitCode];
    e.info1 = words[TESSERA_VMEnter_ExitInfo1];
    e.info2 = words[TESSERA_VMEnter_ExitInfo2];
    e.rip = words[TESSERA_VMEnter_RIP];
    e.rflags = words[TESSERA_VMEnter_RFLAGS];
    e.interrupt_shadow = (words[TESSERA_VMEnter_InterruptShadow] & 1) != 0;
    e.cr0 = words[TESSERA_VMEnter_CR0];
    e.cr2 = words[TESSERA_VMEnter_CR2];
    e.cr3 = words[TESSERA_VMEnter_CR3];
    e.cr4 = words[TESSERA_VMEnter_CR4];
    e.efer = words[TESSERA_VMEnter_EFER];
    e.pending_event = words[TESSERA_VMEnter_Event];
    for (unsigned i = 0; i < 15; i++)
        e.registers.gpr[MessageOrder[i]] = words[TESSERA_VMEnter_RAX + i];
    e.registers.gpr[reg::Rsp] = words[TESSERA_VMEnter_RSP];
    return e;
}

void entry_to_message(const VcpuEntry& entry, uint64_t (&words)[VmEnterWords])
{
    for (uint64_t& w : words)
        w = 0;
    words[TESSERA_VMEnter_RIP] = entry.rip;
    words[TESSERA_VMEnter_Control] =
        (entry.registers_in_vcpu ? 0 : TESSERA_VMEnterControl_RegistersInMessage) |
        (entry.interrupt_window ? TESSERA_VMEnterControl_InterruptWindow : 0);
    words[TESSERA_VMEnter_Event] = entry.event;
    words[TESSERA_VMEnter_RSP] = entry.registers.gpr[reg::Rsp];
    for (unsigned i = 0; i < 15; i++)
        words[TESSERA_VMEnter_RAX + i] = entry.registers.gpr[MessageOrder[i]];
}

} // namespace tessera::services::vmm
