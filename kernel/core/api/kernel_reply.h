// What the kernel answers a Call to one of its objects (seL4 replyFromKernel_success_empty and
// replyFromKernel_error): label 0 and the method's words, or the error's code and words. The one
// place a rejected invocation is answered, so that whatever reports rejections hooks in here.
#pragma once

#include <tessera/abi/ipc_buffer.h>

#include "base/syscall_error.h"
#include "base/types.h"
#include "endpoint/endpoint.h"

namespace tessera::core {

class ArchThread;
struct IpcContext;
struct Tcb;

// A kernel object's answer on success: up to seL4_MsgMaxLength message words, of which only the
// first `length` are ever written or read. Left uninitialised on purpose: zeroing all 120 words
// cost every invocation (a page map among them) about 120 instructions for answers that are
// mostly empty.
struct KernelReply {
    Word words[seL4_MsgMaxLength];
    Word length = 0;
};

// The message registers, message info (label 0 on success) and badge 0 a Call returns with.
void reply_from_kernel(ArchThread& arch, Tcb& thread, Word label, const Word* words, Word length);
void reply_from_kernel(ArchThread& arch, Tcb& thread, const KernelReply& reply);

// An invocation the kernel refused: with `label` the method the caller asked for, `error` what
// seL4 answers and why. A Call gets seL4's error message; a Send gets nothing.
void reject_invocation(IpcContext& ipc, Tcb& thread, Word label, const SyscallError& error, IsCall call);

} // namespace tessera::core
