// Which x86 I/O ports IOPortControl_Issue has handed out: one bit per port, so that a port is in
// at most one issued range at a time (seL4's x86KSAllocatedIOPorts and its issue-once rule).
#pragma once

#include "base/types.h"

namespace tessera::core {

class IssuedPorts {
public:
    static constexpr unsigned PortCount = 1u << 16;

    // All of these take an inclusive range with first <= last (the decoder checks that).
    bool is_free(IoPort first, IoPort last) const;
    void claim(IoPort first, IoPort last);
    void release(IoPort first, IoPort last);

private:
    enum class Mark { Free, Issued };
    void mark(IoPort first, IoPort last, Mark m);
    // The bits of word `index` that [first, last] covers.
    static Word range_mask(unsigned index, unsigned first, unsigned last);

    Word bits_[PortCount / WordBits] = {};
};

} // namespace tessera::core
