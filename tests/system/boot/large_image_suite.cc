// A root task larger than seL4's default root CNode can name (2^12 slots): 24 MiB of .bss is
// 6144 frames, each handed out as a capability. The kernel grows the CNode for it rather than
// refusing the task (kernel/boot/root_cnode_size.h); this checks the task sees a consistent
// capability space: BootInfo's size, every frame's capability, free slots past the default size.
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>
#include <tessera/runtime.h>

namespace {

int passed = 0, failed = 0;

void check(const char* name, bool ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    (ok ? passed : failed)++;
}

constexpr uint64_t LargeBytes = uint64_t{24} << 20;
volatile uint8_t large[LargeBytes];

} // namespace

int main(void)
{
    const seL4_BootInfo* bi = tessera_boot_info();
    const seL4_Word bits = bi->initThreadCNodeSizeBits;
    const seL4_Word frames = bi->userImageFrames.end - bi->userImageFrames.start;
    printf("large_image: 2^%lu slots, %lu image frames, free slots %lu..%lu\n", (unsigned long)bits,
           (unsigned long)frames, (unsigned long)bi->empty.start, (unsigned long)bi->empty.end);
    check("large_image.cnode_grows_past_sel4s_default", bits > 12);
    check("large_image.every_page_has_a_frame_cap", frames >= LargeBytes / 4096);
    check("large_image.empty_ends_at_the_cnode_size", bi->empty.end == (seL4_Word{1} << bits));
    check("large_image.room_besides_the_boot_caps", bi->empty.end - bi->empty.start >= 4096);
    check("large_image.untypeds_handed_out", bi->untyped.end > bi->untyped.start);
    check("large_image.last_frame_cap_is_a_frame",
          seL4_DebugCapIdentify(bi->userImageFrames.end - 1) == seL4_DebugCapIdentify(bi->userImageFrames.start));

    // The slot past seL4's default size and the CNode's last slot both resolve.
    const seL4_CPtr root = seL4_CapInitThreadCNode;
    const seL4_CPtr far_slots[] = {seL4_CPtr{1} << 12, bi->empty.end - 1};
    bool copied = true;
    for (seL4_CPtr slot : far_slots) {
        if (slot < bi->empty.start)
            continue;
        copied &= seL4_CNode_Copy(root, slot, seL4_WordBits, root, seL4_CapInitThreadTCB, seL4_WordBits,
                                  seL4_AllRights) == seL4_NoError;
        copied &= seL4_DebugCapIdentify(slot) == seL4_DebugCapIdentify(seL4_CapInitThreadTCB);
        copied &= seL4_CNode_Delete(root, slot, seL4_WordBits) == seL4_NoError;
    }
    check("large_image.far_slots_hold_caps", copied);
    check("large_image.slot_past_the_cnode_is_refused",
          seL4_CNode_Copy(root, bi->empty.end, seL4_WordBits, root, seL4_CapInitThreadTCB, seL4_WordBits,
                          seL4_AllRights) != seL4_NoError);

    // The image's pages are mapped and zeroed, and keep what is written.
    large[0] = 1;
    large[LargeBytes - 1] = 2;
    check("large_image.bss_is_mapped", large[0] == 1 && large[LargeBytes - 1] == 2 && large[LargeBytes / 2] == 0);
    printf("%d passed, %d failed\n", passed, failed);
    return 0;
}
