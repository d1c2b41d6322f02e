// The input-switch escape sequence, decoded one byte at a time (input_switch.h).
#include "input_switch.h"

namespace tessera::serial {

InputAction InputSwitchDecoder::feed(uint8_t byte)
{
    byte_ = byte;
    if (state_ == State::Normal) {
        if (byte != static_cast<uint8_t>(SwitchCharacter))
            return InputAction::Deliver;
        state_ = State::AfterSwitch;
        digits_ = 0;
        number_ = 0;
        return InputAction::Swallow;
    }
    // After Ctrl-\: a second one is a literal Ctrl-\, digits build the number, Enter ends it.
    if (byte == static_cast<uint8_t>(SwitchCharacter) && digits_ == 0) {
        state_ = State::Normal;
        return InputAction::Deliver;
    }
    if (byte >= '0' && byte <= '9' && digits_ < SwitchMaxDigits) {
        number_ = number_ * 10 + static_cast<uint32_t>(byte - '0');
        ++digits_;
        return InputAction::Swallow;
    }
    state_ = State::Normal;
    if ((byte == '\r' || byte == '\n') && digits_ > 0)
        return InputAction::Select;
    return InputAction::BadSequence;
}

} // namespace tessera::serial
