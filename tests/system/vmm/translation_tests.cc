// Guests' translations never mix (issue 24: one SVM ASID per VCPU). Two VCPUs with two nested
// page tables that map the same guest-physical page to different frames run in turn on one
// thread, each must read its own frame every time; a remap or an unmap in one table is seen at
// that guest's next entry; then more VCPUs than the CPU has ASIDs (15 under QEMU) take turns.
// QEMU's TCG drops cached translations at every VMRUN whatever TLB_CONTROL says, so here these
// checks pin the behaviour; the ASID policy itself is checked against a tagged-TLB model on the
// host (tests/host/vspace/guest_tlb_policy_test.cc).
#include "translation_tests.h"

#include <sel4/sel4.h>
#include <sel4/tessera_svm.h>
#include <stdio.h>
#include <string.h>
#include <tessera/vspace.h>

#include "check.h"
#include "guest_memory.h"
#include "test_vcpu.h"

namespace vmm_suite {
namespace {

using libos_suite::check;
using libos_suite::check_error;

constexpr seL4_Word GuestPages = 8, Probe = 0x9000, ProbePort = 0x88;
constexpr unsigned ManyVcpus = 20;

// A page of the VMM's that a guest sees at Probe, holding `value`.
struct ProbePage {
    seL4_CPtr frame = seL4_CapNull; // the copy mapped in the nested table
    volatile uint32_t* host = nullptr;
};

bool new_probe_page(uint32_t value, ProbePage& page)
{
    seL4_Word host = 0;
    if (tessera_vspace_new_pages(1, 1, seL4_ReadWrite, &host) != seL4_NoError)
        return false;
    page.host = reinterpret_cast<volatile uint32_t*>(host);
    *page.host = value;
    return true;
}

bool map_probe(seL4_CPtr npt, ProbePage& page)
{
    page.frame = share_page(npt, seL4_Word(page.host), Probe);
    return page.frame != seL4_CapNull;
}

struct Guest {
    seL4_CPtr vcpu = seL4_CapNull;
    GuestMemory memory;
};

bool make_guest(const uint8_t* code, seL4_Word code_size, Guest& guest)
{
    guest.vcpu = new_object(TESSERA_X86_SVMVCPUObject);
    if (guest.vcpu == seL4_CapNull || !make_guest_memory(GuestPages, guest.memory))
        return false;
    memcpy(const_cast<uint8_t*>(guest.memory.at<uint8_t>(GuestBase)), code, code_size);
    set_protected_mode(guest.vcpu);
    return tessera_X86_SVMVCPU_SetNPT(guest.vcpu, guest.memory.npt) == seL4_NoError;
}

// Runs `vcpu` on this thread at the probe loop: what it read at Probe, or a description of the
// exit it made instead.
struct ProbeResult {
    bool reported;
    uint32_t value;
    Exit exit;
};
ProbeResult probe(seL4_CPtr vcpu, seL4_Word probe_rip)
{
    ProbeResult r{false, 0, {}};
    if (tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadTCB) != seL4_NoError)
        return r;
    r.exit = enter(probe_rip);
    r.reported = r.exit.result == TESSERA_VMEnter_Exit && r.exit.code() == TESSERA_SVMExit_IOIO &&
                 (r.exit.info1() >> 16) == ProbePort;
    r.value = uint32_t(r.exit.reg(TESSERA_SVMField_RAX));
    return r;
}

bool reads(seL4_CPtr vcpu, seL4_Word probe_rip, uint32_t expected)
{
    const ProbeResult r = probe(vcpu, probe_rip);
    if (!r.reported || r.value != expected)
        printf("vmm: probe read 0x%x (exit 0x%lx at 0x%lx), expected 0x%x\n", unsigned(r.value),
               (unsigned long)r.exit.code(), (unsigned long)r.exit.rip(), unsigned(expected));
    return r.reported && r.value == expected;
}

} // namespace

void translation_tests(const uint8_t* code, seL4_Word code_size, seL4_Word probe_rip)
{
    Guest a, b;
    ProbePage page_a, page_b, page_a2;
    const bool made = make_guest(code, code_size, a) && make_guest(code, code_size, b) &&
                      new_probe_page(0xa1a1a1a1, page_a) && new_probe_page(0xb2b2b2b2, page_b) &&
                      new_probe_page(0xa3a3a3a3, page_a2) && map_probe(a.memory.npt, page_a) &&
                      map_probe(b.memory.npt, page_b);
    check("translations.two_guests_made", made);
    if (!made)
        return;

    bool own = true;
    for (int i = 0; i < 20; i++)
        own = reads(a.vcpu, probe_rip, 0xa1a1a1a1) && reads(b.vcpu, probe_rip, 0xb2b2b2b2) && own;
    check("translations.each_guest_reads_its_own_frame", own);
    *page_a.host = 0xa1a10000;
    check("translations.guest_reads_what_the_vmm_wrote", reads(a.vcpu, probe_rip, 0xa1a10000));

    // A remap at the same guest-physical address, between two entries of the same VCPU.
    check_error("translations.unmap_probe", seL4_X86_Page_Unmap(page_a.frame), seL4_NoError);
    check("translations.remap_probe", map_probe(a.memory.npt, page_a2));
    check("translations.remap_seen_at_next_entry", reads(a.vcpu, probe_rip, 0xa3a3a3a3));
    check("translations.other_guest_unaffected", reads(b.vcpu, probe_rip, 0xb2b2b2b2));

    check_error("translations.unmap_probe_again", seL4_X86_Page_Unmap(page_a2.frame),
                seL4_NoError);
    const ProbeResult gone = probe(a.vcpu, probe_rip);
    check("translations.unmap_seen_at_next_entry",
          gone.exit.result == TESSERA_VMEnter_Exit && gone.exit.code() == TESSERA_SVMExit_NPF &&
              gone.exit.info2() == Probe);
    check("translations.map_again", map_probe(a.memory.npt, page_a2));

    // SetNPT: the same VCPU now translates through the other guest's table.
    check_error("translations.set_other_npt", tessera_X86_SVMVCPU_SetNPT(a.vcpu, b.memory.npt),
                seL4_NoError);
    check("translations.set_npt_seen_at_next_entry", reads(a.vcpu, probe_rip, 0xb2b2b2b2));
    check_error("translations.set_own_npt", tessera_X86_SVMVCPU_SetNPT(a.vcpu, a.memory.npt),
                seL4_NoError);
    check("translations.own_npt_again", reads(a.vcpu, probe_rip, 0xa3a3a3a3));

    // More VCPUs than ASIDs: generations come round, every guest still reads its own table.
    seL4_CPtr many[ManyVcpus] = {};
    bool all_made = true;
    for (unsigned i = 0; i < ManyVcpus && all_made; i++) {
        many[i] = new_object(TESSERA_X86_SVMVCPUObject);
        const Guest& owner = (i % 2) ? b : a;
        all_made = many[i] != seL4_CapNull &&
                   tessera_X86_SVMVCPU_SetNPT(many[i], owner.memory.npt) == seL4_NoError;
        if (all_made)
            set_protected_mode(many[i]);
    }
    check("translations.many_vcpus_made", all_made);
    bool all_own = all_made;
    for (int round = 0; round < 3 && all_own; round++)
        for (unsigned i = 0; i < ManyVcpus && all_own; i++)
            all_own = reads(many[i], probe_rip, (i % 2) ? 0xb2b2b2b2 : 0xa3a3a3a3);
    check("translations.more_vcpus_than_asids_read_their_own", all_own);
    check("translations.first_guests_still_their_own",
          reads(a.vcpu, probe_rip, 0xa3a3a3a3) && reads(b.vcpu, probe_rip, 0xb2b2b2b2));
}

} // namespace vmm_suite
