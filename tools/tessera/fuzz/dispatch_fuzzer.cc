// libFuzzer target for generated interface code (issue 19): random messages to the dispatchers
// that `tessera gen` writes for tests/host/tessera/interfaces/demo.system, and random replies to
// its client stubs, on the host's fake Microkit. A received message lives in an allocation of
// exactly its words, so a read past what was sent is an AddressSanitizer report; the demo
// provider aborts if the dispatcher hands it an argument outside its type or bound; and every
// reply is checked here to be well formed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "calc.h"
#include "demo.h"
#include "demo_provider.h"
#include "fake_microkit.h"

namespace {

// Consumes the fuzzer's bytes front to back; past the end everything reads as zero.
class Input {
public:
    Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    seL4_Word word()
    {
        seL4_Word value = 0;
        for (int i = 0; i < 8; ++i)
            value |= seL4_Word(byte()) << (8 * i);
        return value;
    }
    size_t left() const { return size_ - at_; }

private:
    const uint8_t* data_;
    size_t size_;
    size_t at_ = 0;
};

[[noreturn]] void fail(const char* why)
{
    std::fprintf(stderr, "dispatch fuzzer: %s\n", why);
    std::abort();
}

seL4_Word status_of(microkit_msginfo reply)
{
    return (microkit_msginfo_get_label(reply) & TESSERA_IFACE_STATUS_MASK) >> TESSERA_IFACE_STATUS_SHIFT;
}

// A label the dispatcher will mostly take for one of its own, sometimes not.
seL4_Word fuzzed_label(Input& in, seL4_Word fingerprint)
{
    const uint8_t shape = in.byte();
    const seL4_Word method = in.byte() % 20;
    switch (shape % 4) {
    case 0:
    case 1:
        return fingerprint << TESSERA_IFACE_FINGERPRINT_SHIFT | method;
    case 2:
        return fingerprint << TESSERA_IFACE_FINGERPRINT_SHIFT | seL4_Word(in.byte()) << TESSERA_IFACE_STATUS_SHIFT |
               method;
    default:
        return in.word() & ((seL4_Word(1) << 52) - 1);
    }
}

// A request of random words to the provider; the reply must answer it, and refusals carry no
// words.
void request(Input& in)
{
    static uint8_t transfer[DEMO_XFER_SIZE];
    const bool calc = in.byte() % 4 == 0;
    const seL4_Word label = fuzzed_label(in, calc ? CALC_FINGERPRINT : DEMO_FINGERPRINT);
    const size_t count = in.byte() % 121;
    std::vector<seL4_Word> words(count);
    for (seL4_Word& word : words)
        word = in.word();
    // What is left fills the buffer dataport, as a client could have.
    std::memset(transfer, 0, sizeof transfer);
    for (size_t i = 0; i < sizeof transfer && in.left() > 0; ++i)
        transfer[i] = in.byte();
    const microkit_msginfo info = microkit_msginfo_new(label, static_cast<seL4_Uint16>(count));
    const microkit_msginfo reply = fake_microkit::deliver(
        calc ? CALC_SERVER_FROM_CLIENT1 : DEMO_SERVER_FROM_CLIENT1, info, words,
        [calc](microkit_channel ch, microkit_msginfo message) {
            return calc ? calc_server_dispatch(ch, message) : demo_serve(ch, message, DEMO_ALL_METHODS, transfer);
        });
    if ((microkit_msginfo_get_label(reply) & ~TESSERA_IFACE_STATUS_MASK) != (label & ~TESSERA_IFACE_STATUS_MASK))
        fail("the reply's label does not answer the request");
    if (status_of(reply) != 0 && microkit_msginfo_get_count(reply) != 0)
        fail("a refusal carries words");
    if (microkit_msginfo_get_count(reply) > 120)
        fail("a reply longer than a message");
}

// A random reply to a client stub: it returns 0 with its out parameters in range, or a status.
void reply(Input& in)
{
    const uint8_t method = in.byte() % 6;
    const bool answers = in.byte() % 8 != 0;
    const seL4_Word status = in.byte() % 3 == 0 ? in.byte() : 0;
    const size_t count = in.byte() % 121;
    std::vector<seL4_Word> words(count);
    for (seL4_Word& word : words)
        word = in.word() & (in.byte() % 2 ? ~seL4_Word(0) : 0xff);
    fake_microkit::set_provider([&](microkit_channel, microkit_msginfo message) {
        fake_microkit::begin_reply();
        for (size_t i = 0; i < words.size(); ++i)
            microkit_mr_set(static_cast<seL4_Uint8>(i), words[i]);
        const seL4_Word label = answers ? microkit_msginfo_get_label(message) : in.word() & 0xffffffffffff;
        return microkit_msginfo_new(label | status << TESSERA_IFACE_STATUS_SHIFT, static_cast<seL4_Uint16>(words.size()));
    });
    fake_microkit::set_caller({});
    fake_microkit::begin_call();
    int result = 0;
    switch (method) {
    case 0: {
        char greeting[DEMO_GREET_GREETING_BOUND + 1];
        result = demo_greet(DEMO_CLIENT1, "fuzz", greeting);
        if (result == 0 && std::strlen(greeting) > DEMO_GREET_GREETING_BOUND)
            fail("greet returned a string past its bound");
        break;
    }
    case 1: {
        uint8_t data[DEMO_FILL_DATA_BOUND];
        size_t length = 0;
        result = demo_fill(DEMO_CLIENT1, 1, 2, data, &length);
        if (result == 0 && length > DEMO_FILL_DATA_BOUND)
            fail("fill returned a sequence past its bound");
        break;
    }
    case 2: {
        enum demo_color colors[3];
        result = demo_palette(DEMO_CLIENT1, DEMO_COLOR_RED, colors);
        for (int i = 0; result == 0 && i < 3; ++i)
            if (!demo_color_is_valid(tessera_iface_element32(colors, i)))
                fail("palette returned a colour out of range");
        break;
    }
    case 3: {
        int8_t i8 = 0;
        uint8_t u8 = 0;
        int16_t i16 = 0;
        uint16_t u16 = 0;
        int32_t i32 = 0;
        uint32_t u32 = 0;
        bool flag = false;
        enum demo_color hue = DEMO_COLOR_RED;
        result = demo_mix(DEMO_CLIENT1, &i8, &u8, &i16, &u16, &i32, &u32, &flag, &hue);
        unsigned char flag_byte;
        std::memcpy(&flag_byte, &flag, 1);
        if (result == 0 && (flag_byte > 1 || !demo_color_is_valid(tessera_iface_element32(&hue, 0))))
            fail("mix returned a bool or colour out of range");
        break;
    }
    case 4: {
        enum demo_color colors[DEMO_ROTATE_COLORS_BOUND] = {DEMO_COLOR_RED};
        size_t length = 1;
        result = demo_rotate(DEMO_CLIENT1, colors, &length);
        if (result == 0 && length > DEMO_ROTATE_COLORS_BOUND)
            fail("rotate returned a sequence past its bound");
        break;
    }
    default: {
        char text[DEMO_LONG_TEXT_TEXT_BOUND + 1];
        result = demo_long_text(DEMO_CLIENT1, text);
        if (result == 0 && std::strlen(text) > DEMO_LONG_TEXT_TEXT_BOUND)
            fail("long_text returned a string past its bound");
        break;
    }
    }
    if (result < 0 || result > 255)
        fail("a stub returned something other than a status");
    fake_microkit::set_provider(nullptr);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Input in(data, size);
    demo_provider = demo_provider_state{};
    if (in.byte() % 2 == 0)
        request(in);
    else
        reply(in);
    return 0;
}
