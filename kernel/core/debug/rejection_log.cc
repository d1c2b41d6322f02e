#include "debug/rejection_log.h"

#include <tessera/abi/invocation_decode.h>
#include <tessera/format.h>

namespace tessera::core {

const char* method_name(Word label)
{
    const char* name = "an unknown method";
    abi::invocation::for_each([&]<class Method>() {
        if (Method::label == label)
            name = Method::name;
    });
    return name;
}

const char* error_name(seL4_Error code)
{
    switch (code) {
    case seL4_NoError: return "seL4_NoError";
    case seL4_InvalidArgument: return "seL4_InvalidArgument";
    case seL4_InvalidCapability: return "seL4_InvalidCapability";
    case seL4_IllegalOperation: return "seL4_IllegalOperation";
    case seL4_RangeError: return "seL4_RangeError";
    case seL4_AlignmentError: return "seL4_AlignmentError";
    case seL4_FailedLookup: return "seL4_FailedLookup";
    case seL4_TruncatedMessage: return "seL4_TruncatedMessage";
    case seL4_DeleteFirst: return "seL4_DeleteFirst";
    case seL4_RevokeFirst: return "seL4_RevokeFirst";
    case seL4_NotEnoughMemory: return "seL4_NotEnoughMemory";
    default: return "an unknown error";
    }
}

size_t format_rejection(char* out, size_t size, const char* thread, Word label, const SyscallError& error)
{
    const char* reason = error.reason()[0] != 0 ? error.reason() : "no reason given";
    const int length = tessera_snprintf(out, size, "tessera: rejected %s (label %lu) from thread '%s': %s, %s",
                                        method_name(label), label, thread, error_name(error.code()), reason);
    return length < 0 ? 0 : size_t(length);
}

} // namespace tessera::core
