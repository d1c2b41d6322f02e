/* Values the C11 translation unit computes from the ABI headers (see the .c file). */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

unsigned long abi_c11_sizeof_bootinfo(void);
unsigned long abi_c11_sizeof_ipc_buffer(void);
unsigned long abi_c11_offsetof_untyped_list(void);
unsigned long abi_c11_sizeof_user_context(void);
unsigned long abi_c11_sizeof_mmap_chunk(void);
unsigned long abi_c11_label_x86_page_map(void);
unsigned long abi_c11_message_info_word(unsigned long label, unsigned long unwrapped,
                                        unsigned long extra, unsigned long length);
unsigned long abi_c11_rights_word(int grant_reply, int grant, int read, int write);
unsigned long abi_c11_sizeof_tcb_setflags_result(void);

#ifdef __cplusplus
}
#endif
