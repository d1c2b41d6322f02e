#include "register_check.h"

#include <stdio.h>

#include "check.h"

namespace register_suite {
namespace {

constexpr const char* Names[RegisterCount] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
                                              "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rflags"};

} // namespace

seL4_Word& reg(RegisterSet& set, Reg which)
{
    return (&set.rax)[unsigned(which)];
}

seL4_Word reg(const RegisterSet& set, Reg which)
{
    return (&set.rax)[unsigned(which)];
}

void fill(Probe& probe, seL4_Word seed, seL4_Word syscall, seL4_Word cap, seL4_Word info)
{
    // Recognisable in a dump: 0x5eed, the probe's seed, the register's position.
    for (unsigned i = 0; i < RegisterCount; i++)
        reg(probe.in, Reg(i)) = 0x5eed000000000000ull | (seed << 16) | (0xa0 + i);
    probe.in.rdx = syscall;
    probe.in.rdi = cap;
    probe.in.rsi = info;
    probe.out = RegisterSet{};
}

RegisterSet sysret_exit(const Probe& probe, seL4_Word after)
{
    RegisterSet expected = probe.in;
    expected.rcx = after;
    expected.r11 = probe.in.rflags;
    expected.rsp = 0;
    return expected;
}

void sent_words(const Probe& probe, seL4_Word (&words)[4])
{
    words[0] = probe.in.r10;
    words[1] = probe.in.r8;
    words[2] = probe.in.r9;
    words[3] = probe.in.r15;
}

void receive(RegisterSet& expected, seL4_Word badge, seL4_Word info, const seL4_Word (&sent)[4], seL4_Word length)
{
    expected.rdi = badge;
    expected.rsi = info;
    seL4_Word* const message_registers[4] = {&expected.r10, &expected.r8, &expected.r9, &expected.r15};
    for (seL4_Word i = 0; i < length && i < 4; i++)
        *message_registers[i] = sent[i];
}

bool check_registers(const char* name, const RegisterSet& got, const RegisterSet& expected, RegMask ignore)
{
    bool same = true;
    for (unsigned i = 0; i < RegisterCount; i++) {
        if ((ignore & (1u << i)) != 0 || reg(got, Reg(i)) == reg(expected, Reg(i)))
            continue;
        printf("  %s: %s is 0x%lx, seL4 leaves 0x%lx\n", name, Names[i], reg(got, Reg(i)), reg(expected, Reg(i)));
        same = false;
    }
    libos_suite::check(name, same);
    return same;
}

} // namespace register_suite
