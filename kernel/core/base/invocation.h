// The arguments of one invocation as plain words: message registers and extra capability slots,
// already fetched by the kernel's syscall path. Decoders read only through this class.
#pragma once

#include <cstddef>

#include "base/types.h"

namespace tessera::core {

class Slot;

class Invocation {
public:
    // `words` holds `length` message words; `extra_caps` holds `extra_cap_count` slots, where a
    // null entry means the kernel could not look that capability up (seL4 excaprefs).
    constexpr Invocation(const Word* words, size_t length, Slot* const* extra_caps,
                         size_t extra_cap_count)
        : words_(words), length_(length), extra_caps_(extra_caps), extra_cap_count_(extra_cap_count)
    {
    }

    constexpr size_t length() const { return length_; }
    // Message word `index`; only after checking length().
    constexpr Word mr(size_t index) const { return words_[index]; }
    // Extra capability slot `index`, or null when absent.
    constexpr Slot* extra_cap(size_t index) const
    {
        return index < extra_cap_count_ ? extra_caps_[index] : nullptr;
    }

    // The arguments of generated method `Method` (tessera/abi/invocation_decode.h), the one
    // definition of where each argument sits. Words past length() read as zero, so a decoder can
    // unpack once and still check the length where seL4 checks it (the first failing check
    // decides the error); an argument is meaningful only after its word was checked present.
    template <class Method> constexpr typename Method::Args arguments() const
    {
        Word words[Method::word_count > 0 ? Method::word_count : 1] = {};
        for (size_t i = 0; i < Method::word_count && i < length_; i++)
            words[i] = words_[i];
        return Method::unpack(words);
    }

private:
    const Word* words_;
    size_t length_;
    Slot* const* extra_caps_;
    size_t extra_cap_count_;
};

} // namespace tessera::core
