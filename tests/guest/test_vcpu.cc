#include "test_vcpu.h"

#include <stdio.h>
#include <tessera/alloc.h>

namespace vmm_suite {
namespace {

constexpr seL4_Word Cr4 = 0x600; // OSFXSR, OSXMMEXCPT: SSE on
constexpr seL4_Word CodeAttributes = 0xc9b, DataAttributes = 0xc93;  // flat 32-bit, G, D/B

void set_segment(seL4_CPtr vcpu, seL4_Word segment, seL4_Word selector, seL4_Word attributes,
                 seL4_Word limit)
{
    const seL4_Word first = TESSERA_SVMField_ES + 4 * segment;
    (void)vmm_suite::write_state(vcpu, first + TESSERA_SVMSegment_Selector, selector);
    (void)vmm_suite::write_state(vcpu, first + TESSERA_SVMSegment_Attributes, attributes);
    (void)vmm_suite::write_state(vcpu, first + TESSERA_SVMSegment_Limit, limit);
    (void)vmm_suite::write_state(vcpu, first + TESSERA_SVMSegment_Base, 0);
}

} // namespace

seL4_CPtr new_object(seL4_Word type)
{
    tessera_object_t object;
    const seL4_Error e = tessera_alloc_object(type, 0, &object);
    if (e != seL4_NoError) {
        printf("vmm: object of type %lu not made: error %d\n", (unsigned long)type, int(e));
        return seL4_CapNull;
    }
    return object.cptr;
}

void read_exit(Exit& e)
{
    for (seL4_Word i = 0; i < TESSERA_VMEnter_MessageLength; i++)
        e.words[i] = seL4_GetMR(i);
}

Exit enter(seL4_Word rip, const Exit* registers, seL4_Word event)
{
    seL4_Word control = 0;
    if (registers != nullptr) {
        control |= TESSERA_VMEnterControl_RegistersInMessage;
        for (seL4_Word i = TESSERA_VMEnter_RSP; i < TESSERA_VMEnter_MessageLength; i++)
            seL4_SetMR(i, registers->words[i]);
    }
    seL4_SetMR(TESSERA_VMEnter_RIP, rip);
    seL4_SetMR(TESSERA_VMEnter_Control, control);
    seL4_SetMR(TESSERA_VMEnter_Event, event);
    Exit e;
    e.result = tessera_VMEnter(&e.badge);
    read_exit(e);
    return e;
}

seL4_Error write_state(seL4_CPtr vcpu, seL4_Word field, seL4_Word value)
{
    const seL4_Error e = tessera_X86_SVMVCPU_WriteState(vcpu, field, value);
    if (e != seL4_NoError)
        printf("vmm: WriteState %lu failed: %d\n", (unsigned long)field, int(e));
    return e;
}

void set_protected_mode(seL4_CPtr vcpu)
{
    set_segment(vcpu, TESSERA_SVMSegment_CS, 0x08, CodeAttributes, 0xffffffff);
    static constexpr seL4_Word data_segments[] = {TESSERA_SVMSegment_ES, TESSERA_SVMSegment_SS,
                                                  TESSERA_SVMSegment_DS, TESSERA_SVMSegment_FS,
                                                  TESSERA_SVMSegment_GS};
    for (const seL4_Word s : data_segments)
        set_segment(vcpu, s, 0x10, DataAttributes, 0xffffffff);
    set_segment(vcpu, TESSERA_SVMSegment_TR, 0, 0x8b, 0x67);
    set_segment(vcpu, TESSERA_SVMSegment_LDTR, 0, 0x82, 0);
    (void)write_state(vcpu, TESSERA_SVMField_CR0, Cr0);
    (void)write_state(vcpu, TESSERA_SVMField_CR4, Cr4);
    (void)write_state(vcpu, TESSERA_SVMField_EFER, 0);
    (void)write_state(vcpu, TESSERA_SVMField_CPL, 0);
    (void)write_state(vcpu, TESSERA_SVMField_RFLAGS, 2);
    (void)write_state(vcpu, TESSERA_SVMField_RSP, 0x8000);
}

} // namespace vmm_suite
