// Compiles the libsel4-compatible header set as C++20 and compares the C11 view of the layout
// (sel4_headers_c11_check.c) with the C++ one.
#include <gtest/gtest.h>
#include <sel4/sel4.h>

#include "sel4_headers_c11_check.h"

TEST(Sel4HeadersC11, SeeTheSameLayoutAsCxx)
{
    EXPECT_EQ(abi_c11_sizeof_bootinfo(), sizeof(seL4_BootInfo));
    EXPECT_EQ(abi_c11_sizeof_ipc_buffer(), sizeof(seL4_IPCBuffer));
    EXPECT_EQ(abi_c11_offsetof_untyped_list(), offsetof(seL4_BootInfo, untypedList));
    EXPECT_EQ(abi_c11_sizeof_user_context(), sizeof(seL4_UserContext));
    EXPECT_EQ(abi_c11_sizeof_mmap_chunk(), sizeof(seL4_X86_BootInfo_mmap_t));
    EXPECT_EQ(abi_c11_sizeof_tcb_setflags_result(), sizeof(seL4_TCB_SetFlags_t));
}

TEST(Sel4HeadersC11, AgreeWithCxxOnLabelsAndBitLayouts)
{
    EXPECT_EQ(abi_c11_label_x86_page_map(), static_cast<unsigned long>(X86PageMap));
    EXPECT_EQ(abi_c11_message_info_word(21, 1, 2, 6), seL4_MessageInfo_new(21, 1, 2, 6).words[0]);
    EXPECT_EQ(abi_c11_rights_word(1, 0, 1, 0), seL4_CapRights_new(1, 0, 1, 0).words[0]);
}

TEST(Sel4Headers, ProvideLibsel4NamesForCommonProgramCode)
{
    // Names a typical root task uses, compiled unchanged.
    seL4_CPtr slot = seL4_CapInitThreadCNode;
    seL4_Word object = seL4_TCBObject;
    seL4_CapRights_t rights = seL4_AllRights;
    EXPECT_EQ(slot, 2u);
    EXPECT_EQ(object, 1u);
    EXPECT_EQ(rights.words[0], 0xfu);
    EXPECT_EQ(seL4_MaxPrio, 255);
    EXPECT_EQ(seL4_CapInitThreadPD, seL4_CapInitThreadVSpace);
}
