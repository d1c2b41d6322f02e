/* Compiles the whole libsel4-compatible header set as C11 and reports a few values computed by
 * the C compiler, so the C++ tests can check that C and C++ see the same layout. */
#include <sel4/sel4.h>
#include <tessera/abi/abi.h>

#include "sel4_headers_c11_check.h"

unsigned long abi_c11_sizeof_bootinfo(void)
{
    return sizeof(seL4_BootInfo);
}

unsigned long abi_c11_sizeof_ipc_buffer(void)
{
    return sizeof(seL4_IPCBuffer);
}

unsigned long abi_c11_offsetof_untyped_list(void)
{
    return __builtin_offsetof(seL4_BootInfo, untypedList);
}

unsigned long abi_c11_sizeof_user_context(void)
{
    return sizeof(seL4_UserContext);
}

unsigned long abi_c11_sizeof_mmap_chunk(void)
{
    return sizeof(seL4_X86_BootInfo_mmap_t);
}

unsigned long abi_c11_label_x86_page_map(void)
{
    return X86PageMap;
}

unsigned long abi_c11_message_info_word(unsigned long label, unsigned long unwrapped,
                                        unsigned long extra, unsigned long length)
{
    return seL4_MessageInfo_new(label, unwrapped, extra, length).words[0];
}

unsigned long abi_c11_rights_word(int grant_reply, int grant, int read, int write)
{
    return seL4_CapRights_new(grant_reply, grant, read, write).words[0];
}

unsigned long abi_c11_sizeof_tcb_setflags_result(void)
{
    return sizeof(seL4_TCB_SetFlags_t);
}
