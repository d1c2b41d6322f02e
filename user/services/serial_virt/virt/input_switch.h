// The input-switch escape sequence the serial virtualiser watches for in its input stream (the
// convention of seL4's sDDF): Ctrl-\ (0x1c), one to four decimal digits, then Enter ('\r' or
// '\n') sends later input to the client with that number; Ctrl-\ twice passes one Ctrl-\ through.
#pragma once

#include <stdint.h>

namespace tessera::serial {

constexpr char SwitchCharacter = 0x1c; // Ctrl-backslash
constexpr unsigned SwitchMaxDigits = 4;

// What one input byte means once the decoder has seen it.
enum class InputAction {
    Deliver,      // pass the byte (byte()) to the client that has the input
    Swallow,      // part of a sequence still being typed: nothing to do yet
    Select,       // a complete sequence: switch to client number()
    BadSequence,  // not a valid sequence: it and the bytes typed so far are dropped
};

class InputSwitchDecoder {
public:
    InputAction feed(uint8_t byte);
    uint32_t number() const { return number_; }
    uint8_t byte() const { return byte_; }

private:
    enum class State { Normal, AfterSwitch };
    State state_ = State::Normal;
    unsigned digits_ = 0;
    uint32_t number_ = 0;
    uint8_t byte_ = 0;
};

} // namespace tessera::serial
