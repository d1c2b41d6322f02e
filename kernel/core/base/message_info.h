// The message info word (seL4 Reference Manual, "Message Info"; abi/message_info.h holds the
// numbers): label, capsUnwrapped, extraCaps and length in one 64-bit word.
#pragma once

#include <tessera/abi/message_info.h>

#include "base/field.h"
#include "base/types.h"

namespace tessera::core {

class MessageInfo {
public:
    using Length = Field<TESSERA_MSGINFO_LENGTH_SHIFT, TESSERA_MSGINFO_LENGTH_BITS>;
    using ExtraCaps = Field<TESSERA_MSGINFO_EXTRA_CAPS_SHIFT, TESSERA_MSGINFO_EXTRA_CAPS_BITS>;
    using CapsUnwrapped = Field<TESSERA_MSGINFO_CAPS_UNWRAPPED_SHIFT, TESSERA_MSGINFO_CAPS_UNWRAPPED_BITS>;
    using Label = Field<TESSERA_MSGINFO_LABEL_SHIFT, TESSERA_MSGINFO_LABEL_BITS>;
    static_assert(tiles_word<Length, ExtraCaps, CapsUnwrapped, Label>());

    constexpr explicit MessageInfo(Word word) : word_(word) {}
    static constexpr MessageInfo make(Word label, Word caps_unwrapped, Word extra_caps, Word length)
    {
        Word w = Label::set(0, label);
        w = CapsUnwrapped::set(w, caps_unwrapped);
        w = ExtraCaps::set(w, extra_caps);
        return MessageInfo{Length::set(w, length)};
    }

    constexpr Word word() const { return word_; }
    constexpr Word label() const { return Label::get(word_); }
    constexpr Word extra_caps() const { return ExtraCaps::get(word_); }
    constexpr Word caps_unwrapped() const { return CapsUnwrapped::get(word_); }
    // The length field, clamped to seL4_MsgMaxLength as seL4 does for a longer claim.
    constexpr Word length() const
    {
        const Word n = Length::get(word_);
        return n > seL4_MsgMaxLength ? Word{seL4_MsgMaxLength} : n;
    }

private:
    Word word_;
};

} // namespace tessera::core
