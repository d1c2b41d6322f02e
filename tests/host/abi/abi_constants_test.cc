// Pins the ABI headers to the numbers and layouts of seL4's x86_64 non-MCS ABI. Every expected
// value here was read from libsel4 (seL4/seL4, libsel4/...) at the pinned commit and is written
// out by hand, so a change to abi/ that drifts from seL4 fails here. System calls, invocation
// labels and fault messages are in sel4_pinned_test.cc.
#include <gtest/gtest.h>
#include <tessera/abi/abi.h>

#include <cstddef>

namespace {

template <class T> constexpr long long value(T v)
{
    return static_cast<long long>(v);
}

}  // namespace

TEST(AbiErrors, CodesMatchLibsel4)
{
    const long long expected[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const seL4_Error errors[] = {seL4_NoError,         seL4_InvalidArgument, seL4_InvalidCapability,
                                 seL4_IllegalOperation, seL4_RangeError,      seL4_AlignmentError,
                                 seL4_FailedLookup,     seL4_TruncatedMessage, seL4_DeleteFirst,
                                 seL4_RevokeFirst,      seL4_NotEnoughMemory};
    for (std::size_t i = 0; i < std::size(errors); ++i) {
        EXPECT_EQ(value(errors[i]), expected[i]) << "error index " << i;
    }
    EXPECT_EQ(value(seL4_NumErrors), 11);
}

TEST(AbiLookupFailure, TypesMatchLibsel4)
{
    EXPECT_EQ(value(seL4_NoFailure), 0);
    EXPECT_EQ(value(seL4_InvalidRoot), 1);
    EXPECT_EQ(value(seL4_MissingCapability), 2);
    EXPECT_EQ(value(seL4_DepthMismatch), 3);
    EXPECT_EQ(value(seL4_GuardMismatch), 4);
}

TEST(AbiObjectTypes, NumbersMatchX86_64NonMcsWithHugePages)
{
    EXPECT_EQ(value(seL4_UntypedObject), 0);
    EXPECT_EQ(value(seL4_TCBObject), 1);
    EXPECT_EQ(value(seL4_EndpointObject), 2);
    EXPECT_EQ(value(seL4_NotificationObject), 3);
    EXPECT_EQ(value(seL4_CapTableObject), 4);
    EXPECT_EQ(value(seL4_X86_PDPTObject), 5);
    EXPECT_EQ(value(seL4_X64_PML4Object), 6);
    EXPECT_EQ(value(seL4_X64_HugePageObject), 7);
    EXPECT_EQ(value(seL4_X86_4K), 8);
    EXPECT_EQ(value(seL4_X86_LargePageObject), 9);
    EXPECT_EQ(value(seL4_X86_PageTableObject), 10);
    EXPECT_EQ(value(seL4_X86_PageDirectoryObject), 11);
    EXPECT_EQ(value(seL4_ObjectTypeCount), 12);
    EXPECT_EQ(value(seL4_X86_IOPageTableObject), 0xffffff);
    EXPECT_EQ(value(seL4_X86_VCPUObject), 0xfffffe);
}

TEST(AbiObjectSizes, BitsMatchX86_64Constants)
{
    EXPECT_EQ(value(seL4_PageBits), 12);
    EXPECT_EQ(value(seL4_SlotBits), 5);
    EXPECT_EQ(value(seL4_TCBBits), 11);
    EXPECT_EQ(value(seL4_EndpointBits), 4);
    EXPECT_EQ(value(seL4_NotificationBits), 5);
    EXPECT_EQ(value(seL4_PageTableBits), 12);
    EXPECT_EQ(value(seL4_PageDirBits), 12);
    EXPECT_EQ(value(seL4_PDPTBits), 12);
    EXPECT_EQ(value(seL4_PML4Bits), 12);
    EXPECT_EQ(value(seL4_LargePageBits), 21);
    EXPECT_EQ(value(seL4_HugePageBits), 30);
    EXPECT_EQ(value(seL4_ASIDPoolBits), 12);
    EXPECT_EQ(value(seL4_NumASIDPoolsBits), 3);
    EXPECT_EQ(value(seL4_MinUntypedBits), 4);
    EXPECT_EQ(value(seL4_MaxUntypedBits), 47);
    EXPECT_EQ(value(seL4_IPCBufferSizeBits), 10);
    EXPECT_EQ(value(seL4_VCPUBits), 14);
    EXPECT_EQ(seL4_UserTop, 0x00007ffffffff000ull);
}

TEST(AbiInitialCaps, SlotsMatchLibsel4)
{
    EXPECT_EQ(value(seL4_CapNull), 0);
    EXPECT_EQ(value(seL4_CapInitThreadTCB), 1);
    EXPECT_EQ(value(seL4_CapInitThreadCNode), 2);
    EXPECT_EQ(value(seL4_CapInitThreadVSpace), 3);
    EXPECT_EQ(value(seL4_CapIRQControl), 4);
    EXPECT_EQ(value(seL4_CapASIDControl), 5);
    EXPECT_EQ(value(seL4_CapInitThreadASIDPool), 6);
    EXPECT_EQ(value(seL4_CapIOPortControl), 7);
    EXPECT_EQ(value(seL4_CapIOSpace), 8);
    EXPECT_EQ(value(seL4_CapBootInfoFrame), 9);
    EXPECT_EQ(value(seL4_CapInitThreadIPCBuffer), 10);
    EXPECT_EQ(value(seL4_CapDomain), 11);
    EXPECT_EQ(value(seL4_CapSMMUSIDControl), 12);
    EXPECT_EQ(value(seL4_CapSMMUCBControl), 13);
    EXPECT_EQ(value(seL4_CapInitThreadSC), 14);
    EXPECT_EQ(value(seL4_CapSMC), 15);
    EXPECT_EQ(value(seL4_NumInitialCaps), 16);
}

TEST(AbiMessageInfo, FieldsSitWhereTheManualPutsThem)
{
    // length bits 0..6, extraCaps 7..8, capsUnwrapped 9..11, label 12..63.
    EXPECT_EQ(seL4_MessageInfo_new(0, 0, 0, 0x7f).words[0], 0x7full);
    EXPECT_EQ(seL4_MessageInfo_new(0, 0, 3, 0).words[0], 0x180ull);
    EXPECT_EQ(seL4_MessageInfo_new(0, 7, 0, 0).words[0], 0xe00ull);
    EXPECT_EQ(seL4_MessageInfo_new(0xfffffffffffffull, 0, 0, 0).words[0], 0xfffffffffffff000ull);
    const seL4_MessageInfo_t info = seL4_MessageInfo_new(21, 1, 2, 6);
    EXPECT_EQ(seL4_MessageInfo_get_label(info), 21u);
    EXPECT_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1u);
    EXPECT_EQ(seL4_MessageInfo_get_extraCaps(info), 2u);
    EXPECT_EQ(seL4_MessageInfo_get_length(info), 6u);
    EXPECT_EQ(seL4_MessageInfo_get_length(seL4_MessageInfo_set_length(info, 120)), 120u);
    EXPECT_EQ(seL4_MessageInfo_get_label(seL4_MessageInfo_set_length(info, 120)), 21u);
}

TEST(AbiMessageInfo, ConstructorTruncatesOversizedFields)
{
    // An 8-bit length must not spill into extraCaps.
    EXPECT_EQ(seL4_MessageInfo_new(0, 0, 0, 0x80).words[0], 0ull);
    EXPECT_EQ(value(seL4_MsgMaxLength), 120);
    EXPECT_EQ(value(seL4_MsgMaxExtraCaps), 3);
}

TEST(AbiIpcBuffer, LayoutMatchesSharedTypes)
{
    EXPECT_EQ(sizeof(seL4_IPCBuffer), 1024u);
    EXPECT_EQ(alignof(seL4_IPCBuffer), 1024u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, tag), 0u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, msg), 8u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, userData), 968u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, caps_or_badges), 976u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, receiveCNode), 1000u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, receiveIndex), 1008u);
    EXPECT_EQ(offsetof(seL4_IPCBuffer, receiveDepth), 1016u);
}

TEST(AbiBootInfo, FieldOffsetsMatchNonMcsLayout)
{
    EXPECT_EQ(offsetof(seL4_BootInfo, extraLen), 0u);
    EXPECT_EQ(offsetof(seL4_BootInfo, nodeID), 8u);
    EXPECT_EQ(offsetof(seL4_BootInfo, numNodes), 16u);
    EXPECT_EQ(offsetof(seL4_BootInfo, numIOPTLevels), 24u);
    EXPECT_EQ(offsetof(seL4_BootInfo, ipcBuffer), 32u);
    EXPECT_EQ(offsetof(seL4_BootInfo, empty), 40u);
    EXPECT_EQ(offsetof(seL4_BootInfo, sharedFrames), 56u);
    EXPECT_EQ(offsetof(seL4_BootInfo, userImageFrames), 72u);
    EXPECT_EQ(offsetof(seL4_BootInfo, userImagePaging), 88u);
    EXPECT_EQ(offsetof(seL4_BootInfo, ioSpaceCaps), 104u);
    EXPECT_EQ(offsetof(seL4_BootInfo, extraBIPages), 120u);
    EXPECT_EQ(offsetof(seL4_BootInfo, initThreadCNodeSizeBits), 136u);
    EXPECT_EQ(offsetof(seL4_BootInfo, initThreadDomain), 144u);
    EXPECT_EQ(offsetof(seL4_BootInfo, untyped), 152u);
    EXPECT_EQ(offsetof(seL4_BootInfo, untypedList), 168u);
    EXPECT_EQ(sizeof(seL4_BootInfo), 168u + 230u * 16u);
    EXPECT_EQ(offsetof(seL4_UntypedDesc, sizeBits), 8u);
    EXPECT_EQ(offsetof(seL4_UntypedDesc, isDevice), 9u);
}

TEST(AbiBootInfo, ChunkIdsAndX86LayoutsMatchLibsel4)
{
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_PADDING), 0);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_X86_VBE), 1);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_X86_MBMMAP), 2);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP), 3);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER), 4);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ), 5);
    EXPECT_EQ(value(SEL4_BOOTINFO_HEADER_FDT), 6);
    EXPECT_EQ(sizeof(seL4_BootInfoHeader), 16u);
    EXPECT_EQ(sizeof(seL4_X86_mb_mmap_t), 24u);
    EXPECT_EQ(offsetof(seL4_X86_mb_mmap_t, base_addr), 4u);
    EXPECT_EQ(offsetof(seL4_X86_BootInfo_mmap_t, mmap), 20u);
    EXPECT_EQ(SEL4_MULTIBOOT_MAX_MMAP_ENTRIES, 50);
    EXPECT_EQ(sizeof(seL4_X86_BootInfo_VBE), 800u);
    EXPECT_EQ(sizeof(seL4_X86_BootInfo_fb_t), 22u);
    EXPECT_EQ(offsetof(seL4_X86_BootInfo_fb_t, bpp), 20u);
}

TEST(AbiUserContext, RegistersInLibsel4Order)
{
    EXPECT_EQ(sizeof(seL4_UserContext), 20u * 8u);
    EXPECT_EQ(offsetof(seL4_UserContext, rip), 0u);
    EXPECT_EQ(offsetof(seL4_UserContext, rsp), 8u);
    EXPECT_EQ(offsetof(seL4_UserContext, rflags), 16u);
    EXPECT_EQ(offsetof(seL4_UserContext, rax), 24u);
    EXPECT_EQ(offsetof(seL4_UserContext, rbp), 72u);
    EXPECT_EQ(offsetof(seL4_UserContext, r8), 80u);
    EXPECT_EQ(offsetof(seL4_UserContext, r15), 136u);
    EXPECT_EQ(offsetof(seL4_UserContext, fs_base), 144u);
    EXPECT_EQ(offsetof(seL4_UserContext, gs_base), 152u);
}

TEST(AbiRights, BitsMatchSharedTypes64)
{
    EXPECT_EQ(seL4_CapRights_new(0, 0, 0, 1).words[0], 0x1ull);
    EXPECT_EQ(seL4_CapRights_new(0, 0, 1, 0).words[0], 0x2ull);
    EXPECT_EQ(seL4_CapRights_new(0, 1, 0, 0).words[0], 0x4ull);
    EXPECT_EQ(seL4_CapRights_new(1, 0, 0, 0).words[0], 0x8ull);
    EXPECT_EQ(seL4_AllRights.words[0], 0xfull);
    EXPECT_EQ(seL4_ReadWrite.words[0], 0x3ull);
    EXPECT_EQ(seL4_NoWrite.words[0], 0xeull);
    EXPECT_EQ(seL4_CapRights_get_capAllowRead(seL4_CanRead), 1u);
    EXPECT_EQ(seL4_CapRights_get_capAllowWrite(seL4_CanRead), 0u);
}

TEST(AbiCNodeCapData, GuardAboveSixBitGuardSize)
{
    const seL4_CNode_CapData_t data = seL4_CNode_CapData_new(0x5, 40);
    EXPECT_EQ(data.words[0], (0x5ull << 6) | 40u);
    EXPECT_EQ(seL4_CNode_CapData_get_guard(data), 0x5u);
    EXPECT_EQ(seL4_CNode_CapData_get_guardSize(data), 40u);
    // guardSize is six bits: 64 does not fit and must not corrupt the guard.
    EXPECT_EQ(seL4_CNode_CapData_new(0, 64).words[0], 0ull);
}

TEST(AbiX86, VmAttributesMatchLibsel4)
{
    EXPECT_EQ(value(seL4_X86_Default_VMAttributes), 0);
    EXPECT_EQ(value(seL4_X86_WriteBack), 0);
    EXPECT_EQ(value(seL4_X86_WriteThrough), 1);
    EXPECT_EQ(value(seL4_X86_CacheDisabled), 2);
    EXPECT_EQ(value(seL4_X86_Uncacheable), 3);
    EXPECT_EQ(value(seL4_X86_WriteCombining), 4);
    EXPECT_EQ(value(seL4_X86_EPT_WriteBack), 6);
    EXPECT_EQ(IRQ_OFFSET, 0x30);
    EXPECT_EQ(VECTOR_MAX, 109);
}
