// A recording stand-in for the kernel under the generated libsel4 client stubs: it provides
// seL4_CallWithMRs, seL4_SetMR, seL4_GetMR and seL4_SetCap, records what a stub sends, and
// answers with a reply the test chose. Include before <interfaces/sel4_client.h>.
#pragma once

#include <tessera/abi/abi.h>

#include <cstring>

namespace fake_kernel {

struct Message {
    seL4_CPtr dest = 0;
    seL4_MessageInfo_t tag{};
    seL4_Word mr[seL4_MsgMaxLength] = {};
    seL4_CPtr caps[seL4_MsgMaxExtraCaps] = {};
};

// One thread's view: its IPC buffer words, what it last sent, what the kernel answers next.
struct State {
    seL4_Word buffer_mr[seL4_MsgMaxLength] = {};
    seL4_CPtr buffer_caps[seL4_MsgMaxExtraCaps] = {};
    Message sent;
    Message reply;
    unsigned calls = 0;
};

inline State state;

inline void reset()
{
    state = State{};
}

}  // namespace fake_kernel

static inline void seL4_SetMR(int i, seL4_Word value)
{
    fake_kernel::state.buffer_mr[i] = value;
}

static inline seL4_Word seL4_GetMR(int i)
{
    return fake_kernel::state.buffer_mr[i];
}

static inline void seL4_SetCap(int i, seL4_CPtr cap)
{
    fake_kernel::state.buffer_caps[i] = cap;
}

// Behaves like libsel4's x86_64 seL4_CallWithMRs: MR0..MR3 come from the pointers only when
// the message is long enough, the rest from the IPC buffer; the reply's MR0..MR3 come back
// through the pointers and the rest land in the IPC buffer.
static inline seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                  seL4_Word* mr0, seL4_Word* mr1,
                                                  seL4_Word* mr2, seL4_Word* mr3)
{
    using fake_kernel::state;
    seL4_Word* in_registers[4] = {mr0, mr1, mr2, mr3};
    const seL4_Word length = seL4_MessageInfo_get_length(info);
    state.sent = fake_kernel::Message{};
    state.sent.dest = dest;
    state.sent.tag = info;
    for (seL4_Word i = 0; i < length && i < seL4_MsgMaxLength; ++i) {
        state.sent.mr[i] = i < 4 ? (in_registers[i] ? *in_registers[i] : 0) : state.buffer_mr[i];
    }
    for (seL4_Word i = 0; i < seL4_MessageInfo_get_extraCaps(info); ++i) {
        state.sent.caps[i] = state.buffer_caps[i];
    }
    ++state.calls;
    for (int i = 0; i < 4; ++i) {
        if (in_registers[i]) *in_registers[i] = state.reply.mr[i];
    }
    for (unsigned i = 4; i < seL4_MsgMaxLength; ++i) {
        state.buffer_mr[i] = state.reply.mr[i];
    }
    return state.reply.tag;
}

#include <interfaces/sel4_client.h>
