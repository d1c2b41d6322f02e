// The generated C header of demo.system at work: client stubs against the provider's dispatcher
// through the fake Microkit, then the provider against malformed requests and the client against
// malformed replies. Every message being read sits in an allocation of exactly its words, so a
// read past what was sent is an AddressSanitizer error (this test is built with ASan).
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "calc.h"
#include "demo.h"
#include "demo_provider.h"
#include "fake_microkit.h"

namespace {

microkit_msginfo dispatch(microkit_channel ch, microkit_msginfo info)
{
    if (ch == CALC_SERVER_FROM_CLIENT1)
        return calc_server_dispatch(ch, info);
    return demo_server_dispatch(ch, info);
}

// The label of method `method` of demo with `status` in the status bits.
seL4_Word label(seL4_Word method, seL4_Word status = 0)
{
    return (seL4_Word)DEMO_FINGERPRINT << TESSERA_IFACE_FINGERPRINT_SHIFT | status << TESSERA_IFACE_STATUS_SHIFT |
           method;
}

int status_of(microkit_msginfo reply)
{
    return static_cast<int>((microkit_msginfo_get_label(reply) & TESSERA_IFACE_STATUS_MASK) >>
                            TESSERA_IFACE_STATUS_SHIFT);
}

class GeneratedCodeFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        demo_provider = demo_provider_state{};
        provider_calls = 0;
        fake_microkit::set_provider([this](microkit_channel ch, microkit_msginfo info) {
            ++provider_calls;
            return dispatch(ch, info);
        });
        fake_microkit::take_notifications();
        as_client1();
        fake_microkit::begin_call();
    }

    // Calls leave from client1's or client2's channels.
    static void as_client1()
    {
        fake_microkit::set_caller({{DEMO_CLIENT1, DEMO_SERVER_FROM_CLIENT1}, {CALC_CLIENT1, CALC_SERVER_FROM_CLIENT1}});
    }
    static void as_client2() { fake_microkit::set_caller({{DEMO_CLIENT2, DEMO_SERVER_FROM_CLIENT2}}); }

    // A request of exactly `words` on channel ch, as the provider receives it.
    microkit_msginfo deliver(microkit_channel ch, seL4_Word request_label, std::vector<seL4_Word> words)
    {
        const microkit_msginfo info = microkit_msginfo_new(request_label, static_cast<seL4_Uint16>(words.size()));
        return fake_microkit::deliver(ch, info, words, dispatch);
    }

    // Expects the provider to refuse the request with `status`, echoing its label, and to have
    // called no implementation.
    void expect_refused(seL4_Word request_label, std::vector<seL4_Word> words, int status,
                        microkit_channel ch = DEMO_SERVER_FROM_CLIENT1)
    {
        demo_provider.nothing_calls = 0;
        const microkit_msginfo reply = deliver(ch, request_label, words);
        EXPECT_EQ(status_of(reply), status) << demo_status_name(status_of(reply));
        EXPECT_EQ(microkit_msginfo_get_count(reply), 0u);
        EXPECT_EQ(microkit_msginfo_get_label(reply) & ~TESSERA_IFACE_STATUS_MASK,
                  request_label & ~TESSERA_IFACE_STATUS_MASK);
        EXPECT_EQ(demo_provider.nothing_calls, 0u);
    }

    int provider_calls = 0;
};

TEST_F(GeneratedCodeFixture, AddsTwoIntegersThroughTheDispatcher)
{
    int64_t sum = 0;
    ASSERT_EQ(demo_add(DEMO_CLIENT1, 40, -42, &sum), 0);
    EXPECT_EQ(sum, -2);
    EXPECT_EQ(demo_provider.last_channel, DEMO_SERVER_FROM_CLIENT1);
    EXPECT_EQ(provider_calls, 1);
}

TEST_F(GeneratedCodeFixture, SecondInterfaceOnPinnedChannels)
{
    uint64_t sum = 0;
    ASSERT_EQ(calc_add(CALC_CLIENT1, UINT64_MAX, 3, &sum), 0);
    EXPECT_EQ(sum, 2u);
    EXPECT_EQ(CALC_CLIENT1, 7u);
    EXPECT_EQ(CALC_SERVER_FROM_CLIENT1, 9u);
}

TEST_F(GeneratedCodeFixture, EveryScalarTypeRoundTripsAtItsLimits)
{
    int8_t i8 = INT8_MIN;
    uint8_t u8 = 254;
    int16_t i16 = INT16_MIN;
    uint16_t u16 = 0x7fff;
    int32_t i32 = INT32_MIN;
    uint32_t u32 = 0;
    bool flag = true;
    enum demo_color hue = DEMO_COLOR_GREEN;
    ASSERT_EQ(demo_mix(DEMO_CLIENT1, &i8, &u8, &i16, &u16, &i32, &u32, &flag, &hue), 0);
    EXPECT_EQ(i8, INT8_MAX);
    EXPECT_EQ(u8, 255);
    EXPECT_EQ(i16, INT16_MAX);
    EXPECT_EQ(u16, 0xfffe);
    EXPECT_EQ(i32, INT32_MAX);
    EXPECT_EQ(u32, UINT32_MAX);
    EXPECT_FALSE(flag);
    EXPECT_EQ(hue, DEMO_COLOR_BLUE);
}

TEST_F(GeneratedCodeFixture, StringsArriveWholeAndReturnTerminated)
{
    char greeting[DEMO_GREET_GREETING_BOUND + 1];
    ASSERT_EQ(demo_greet(DEMO_CLIENT1, "sixteen-byte-key", greeting), 0);
    EXPECT_STREQ(greeting, "hello, sixteen-byte-key");
    EXPECT_STREQ(demo_provider.last_name, "sixteen-byte-key");
    fake_microkit::begin_call();
    ASSERT_EQ(demo_greet(DEMO_CLIENT1, "", greeting), 0);
    EXPECT_STREQ(greeting, "hello, ");
}

TEST_F(GeneratedCodeFixture, StringPastItsBoundIsRefusedBeforeSending)
{
    char greeting[DEMO_GREET_GREETING_BOUND + 1] = "untouched";
    EXPECT_EQ(demo_greet(DEMO_CLIENT1, "seventeen-bytes!!", greeting), TESSERA_IFACE_BAD_ARGUMENT);
    EXPECT_EQ(provider_calls, 0);
    EXPECT_STREQ(greeting, "untouched");
}

TEST_F(GeneratedCodeFixture, PayloadBytesArePaddedWithZeros)
{
    std::vector<seL4_Word> seen;
    fake_microkit::set_provider([&](microkit_channel ch, microkit_msginfo info) {
        const seL4_Word count = microkit_msginfo_get_count(info);
        for (seL4_Word i = 0; i < count; ++i)
            seen.push_back(microkit_mr_get(static_cast<seL4_Uint8>(i)));
        return dispatch(ch, info);
    });
    char greeting[DEMO_GREET_GREETING_BOUND + 1];
    ASSERT_EQ(demo_greet(DEMO_CLIENT1, "abc", greeting), 0);
    // The buffer held a stale pattern: the word after the length holds "abc" and zeros only.
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], 3u);
    EXPECT_EQ(seen[1], 0x636261u);
    const std::vector<seL4_Word> reply = fake_microkit::reply_words();
    ASSERT_EQ(reply.size(), 1u + 2u); // "hello, abc" is 10 bytes: a length and two words
    EXPECT_EQ(reply[2] >> 16, 0u);
}

TEST_F(GeneratedCodeFixture, SequencesCarryTheirLength)
{
    const int32_t values[10] = {1, -2, 3, -4, 5, -6, 7, -8, 9, INT32_MIN};
    int64_t sum = 1;
    ASSERT_EQ(demo_sum(DEMO_CLIENT1, values, 0, &sum), 0);
    EXPECT_EQ(sum, 0);
    fake_microkit::begin_call();
    ASSERT_EQ(demo_sum(DEMO_CLIENT1, values, 3, &sum), 0);
    EXPECT_EQ(sum, 2);
    EXPECT_EQ(demo_provider.last_length, 3u);
    fake_microkit::begin_call();
    ASSERT_EQ(demo_sum(DEMO_CLIENT1, values, 10, &sum), 0);
    EXPECT_EQ(sum, 5 + int64_t(INT32_MIN));
    fake_microkit::begin_call();
    EXPECT_EQ(demo_sum(DEMO_CLIENT1, values, 11, &sum), TESSERA_IFACE_BAD_ARGUMENT);
    EXPECT_EQ(provider_calls, 3);
}

TEST_F(GeneratedCodeFixture, InoutSequenceComesBackChanged)
{
    int16_t values[DEMO_SCALE_VALUES_BOUND] = {1, -2, 300};
    size_t length = 3;
    ASSERT_EQ(demo_scale(DEMO_CLIENT1, values, &length, -3), 0);
    EXPECT_EQ(length, 3u);
    EXPECT_EQ(values[0], -3);
    EXPECT_EQ(values[1], 6);
    EXPECT_EQ(values[2], -900);
}

TEST_F(GeneratedCodeFixture, BoolAndEnumArrays)
{
    const bool bits[5] = {true, false, true, true, false};
    bool inverted[5];
    uint8_t set = 0;
    ASSERT_EQ(demo_flags(DEMO_CLIENT1, bits, inverted, &set), 0);
    EXPECT_EQ(set, 3);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(inverted[i], !bits[i]);

    fake_microkit::begin_call();
    enum demo_color colors[3];
    ASSERT_EQ(demo_palette(DEMO_CLIENT1, DEMO_COLOR_RED, colors), 0);
    EXPECT_EQ(colors[0], DEMO_COLOR_RED);
    EXPECT_EQ(colors[1], DEMO_COLOR_GREEN);
    EXPECT_EQ(colors[2], DEMO_COLOR_BLUE);

    fake_microkit::begin_call();
    enum demo_color sequence[DEMO_ROTATE_COLORS_BOUND] = {DEMO_COLOR_BLUE, DEMO_COLOR_RED};
    size_t length = 2;
    ASSERT_EQ(demo_rotate(DEMO_CLIENT1, sequence, &length), 0);
    EXPECT_EQ(sequence[0], DEMO_COLOR_RED);
    EXPECT_EQ(sequence[1], DEMO_COLOR_GREEN);
}

TEST_F(GeneratedCodeFixture, EnumOutOfRangeIsRefusedBeforeSending)
{
    enum demo_color sequence[DEMO_ROTATE_COLORS_BOUND] = {DEMO_COLOR_BLUE, static_cast<enum demo_color>(4)};
    size_t length = 2;
    EXPECT_EQ(demo_rotate(DEMO_CLIENT1, sequence, &length), TESSERA_IFACE_BAD_ARGUMENT);
    enum demo_color colors[3];
    EXPECT_EQ(demo_palette(DEMO_CLIENT1, static_cast<enum demo_color>(-1), colors), TESSERA_IFACE_BAD_ARGUMENT);
    EXPECT_EQ(provider_calls, 0);
}

TEST_F(GeneratedCodeFixture, LongestReplyFillsMostOfTheBuffer)
{
    char text[DEMO_LONG_TEXT_TEXT_BOUND + 1];
    ASSERT_EQ(demo_long_text(DEMO_CLIENT1, text), 0);
    EXPECT_EQ(std::strlen(text), size_t(DEMO_LONG_TEXT_TEXT_BOUND));
    EXPECT_EQ(fake_microkit::reply_words().size(), 1u + 113u);
}

TEST_F(GeneratedCodeFixture, BufferedMethodsCarryPayloadsInTheDataport)
{
    static uint8_t transfer[DEMO_XFER_SIZE];
    fake_microkit::set_provider([](microkit_channel ch, microkit_msginfo info) {
        return demo_serve(ch, info, DEMO_ALL_METHODS, transfer);
    });
    uint8_t data[2000];
    for (size_t i = 0; i < sizeof data; ++i)
        data[i] = static_cast<uint8_t>(i * 7);
    ASSERT_EQ(demo_store(DEMO_CLIENT1, transfer, "blob", data, sizeof data), 0);
    EXPECT_STREQ(demo_provider.stored_key, "blob");
    EXPECT_EQ(demo_provider.stored_length, 2000u);
    // Only lengths travel in registers.
    EXPECT_TRUE(fake_microkit::reply_words().empty());

    fake_microkit::begin_call();
    uint8_t back[DEMO_LOAD_DATA_BOUND];
    size_t length = 0;
    uint32_t checksum[2] = {0, 0};
    ASSERT_EQ(demo_load(DEMO_CLIENT1, transfer, "blob", back, &length, checksum), 0);
    ASSERT_EQ(length, 2000u);
    EXPECT_EQ(std::memcmp(back, data, length), 0);
    EXPECT_EQ(checksum[0], 2000u);

    fake_microkit::begin_call();
    EXPECT_EQ(demo_load(DEMO_CLIENT1, transfer, "other", back, &length, checksum), DEMO_ERROR_NOPE);
}

TEST_F(GeneratedCodeFixture, DeclaredErrorsReachTheClientAndOthersBecomeBadResult)
{
    EXPECT_EQ(demo_fail(DEMO_CLIENT1, 0), 0);
    fake_microkit::begin_call();
    EXPECT_EQ(demo_fail(DEMO_CLIENT1, DEMO_ERROR_NOPE), DEMO_ERROR_NOPE);
    fake_microkit::begin_call();
    EXPECT_EQ(demo_fail(DEMO_CLIENT1, DEMO_ERROR_TOO_BIG), DEMO_ERROR_TOO_BIG);
    fake_microkit::begin_call();
    EXPECT_EQ(demo_fail(DEMO_CLIENT1, 17), TESSERA_IFACE_BAD_RESULT);
    fake_microkit::begin_call();
    EXPECT_EQ(demo_fail(DEMO_CLIENT1, TESSERA_IFACE_BAD_METHOD), TESSERA_IFACE_BAD_RESULT);
    EXPECT_STREQ(demo_status_name(DEMO_ERROR_TOO_BIG), "too_big");
    EXPECT_STREQ(demo_status_name(TESSERA_IFACE_BAD_REPLY), "bad_reply");
    EXPECT_STREQ(demo_status_name(200), "unknown");
}

TEST_F(GeneratedCodeFixture, ErrorLeavesOutParametersUntouched)
{
    uint8_t data[DEMO_FILL_DATA_BOUND];
    size_t length = 77;
    EXPECT_EQ(demo_fill(DEMO_CLIENT1, 1, DEMO_FILL_DATA_BOUND + 1, data, &length), DEMO_ERROR_TOO_BIG);
    EXPECT_EQ(length, 77u);
    fake_microkit::begin_call();
    ASSERT_EQ(demo_fill(DEMO_CLIENT1, 10, 5, data, &length), 0);
    EXPECT_EQ(length, 5u);
    EXPECT_EQ(data[4], 14);
}

TEST_F(GeneratedCodeFixture, UserLimitedToSomeMethodsGetsBadMethodForOthers)
{
    as_client2();
    int64_t sum = 0;
    EXPECT_EQ(demo_add(DEMO_CLIENT2, 1, 2, &sum), 0);
    EXPECT_EQ(demo_provider.last_channel, DEMO_SERVER_FROM_CLIENT2);
    fake_microkit::begin_call();
    EXPECT_EQ(demo_nothing(DEMO_CLIENT2), TESSERA_IFACE_BAD_METHOD);
    EXPECT_EQ(demo_provider.nothing_calls, 0u);
    as_client1();
    fake_microkit::begin_call();
    EXPECT_EQ(demo_nothing(DEMO_CLIENT1), 0);
    EXPECT_EQ(demo_provider.nothing_calls, 1u);
}

TEST_F(GeneratedCodeFixture, CallOnAnotherChannelGetsBadChannel)
{
    int64_t sum = 0;
    EXPECT_EQ(demo_add(33, 1, 2, &sum), TESSERA_IFACE_BAD_CHANNEL);
    EXPECT_EQ(DEMO_SERVER_CHANNELS, (1ull << DEMO_SERVER_FROM_CLIENT1) | (1ull << DEMO_SERVER_FROM_CLIENT2));
}

TEST_F(GeneratedCodeFixture, ProviderResultsOutOfRangeBecomeBadResult)
{
    demo_provider.misbehave = true;
    int8_t i8 = 0;
    uint8_t u8 = 0;
    int16_t i16 = 0;
    uint16_t u16 = 0;
    int32_t i32 = 0;
    uint32_t u32 = 0;
    bool flag = false;
    enum demo_color hue = DEMO_COLOR_RED;
    EXPECT_EQ(demo_mix(DEMO_CLIENT1, &i8, &u8, &i16, &u16, &i32, &u32, &flag, &hue), TESSERA_IFACE_BAD_RESULT);
    fake_microkit::begin_call();
    int16_t values[DEMO_SCALE_VALUES_BOUND] = {1};
    size_t length = 1;
    EXPECT_EQ(demo_scale(DEMO_CLIENT1, values, &length, 2), TESSERA_IFACE_BAD_RESULT);
    fake_microkit::begin_call();
    enum demo_color colors[3];
    EXPECT_EQ(demo_palette(DEMO_CLIENT1, DEMO_COLOR_RED, colors), TESSERA_IFACE_BAD_RESULT);
    fake_microkit::begin_call();
    char text[DEMO_LONG_TEXT_TEXT_BOUND + 1];
    EXPECT_EQ(demo_long_text(DEMO_CLIENT1, text), TESSERA_IFACE_BAD_RESULT);
}

TEST_F(GeneratedCodeFixture, ProviderBroadcastsEventsOnEachUsersChannel)
{
    demo_server_broadcast_ping();
    const std::vector<microkit_channel> sent = fake_microkit::take_notifications();
    EXPECT_EQ(sent, (std::vector<microkit_channel>{DEMO_SERVER_TO_CLIENT1_PING, DEMO_SERVER_TO_CLIENT2_PING}));
    EXPECT_NE(DEMO_CLIENT1_PING, DEMO_CLIENT1);
}

TEST_F(GeneratedCodeFixture, RequestForAnotherInterfaceIsWrongInterface)
{
    expect_refused((seL4_Word)(DEMO_FINGERPRINT ^ 1) << 16 | DEMO_METHOD_NOTHING, {}, TESSERA_IFACE_WRONG_INTERFACE);
    expect_refused(CALC_LABEL_ADD, {1, 2}, TESSERA_IFACE_WRONG_INTERFACE);
    expect_refused(0, {}, TESSERA_IFACE_WRONG_INTERFACE);
}

TEST_F(GeneratedCodeFixture, UnknownMethodIsBadMethod)
{
    expect_refused(label(0), {}, TESSERA_IFACE_BAD_METHOD);
    expect_refused(label(15), {}, TESSERA_IFACE_BAD_METHOD);
    expect_refused(label(200), {}, TESSERA_IFACE_BAD_METHOD);
}

TEST_F(GeneratedCodeFixture, RequestWithStatusBitsIsBadMessage)
{
    expect_refused(label(DEMO_METHOD_NOTHING, 4), {}, TESSERA_IFACE_BAD_MESSAGE);
}

TEST_F(GeneratedCodeFixture, WrongWordCountIsBadMessage)
{
    expect_refused(DEMO_LABEL_ADD, {}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_ADD, {1}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_ADD, {1, 2, 3}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_NOTHING, {0}, TESSERA_IFACE_BAD_MESSAGE);
}

TEST_F(GeneratedCodeFixture, LengthPastBoundOrPastTheWordsSentIsBadMessage)
{
    expect_refused(DEMO_LABEL_GREET, {17, 0, 0, 0}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_GREET, {16, 0x4141414141414141}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_GREET, {9}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_GREET, {~seL4_Word(0)}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_SUM, {~seL4_Word(0) / 4 + 1}, TESSERA_IFACE_BAD_MESSAGE);
    expect_refused(DEMO_LABEL_SUM, {3, 1}, TESSERA_IFACE_BAD_MESSAGE);
    // Words left over after the last parameter.
    expect_refused(DEMO_LABEL_GREET, {1, 0x41, 0}, TESSERA_IFACE_BAD_MESSAGE);
}

TEST_F(GeneratedCodeFixture, StringWithNulInsideIsBadMessage)
{
    expect_refused(DEMO_LABEL_GREET, {3, 0x410041}, TESSERA_IFACE_BAD_MESSAGE);
    const microkit_msginfo reply = deliver(DEMO_SERVER_FROM_CLIENT1, DEMO_LABEL_GREET, {3, 0x414141});
    EXPECT_EQ(status_of(reply), 0);
    EXPECT_STREQ(demo_provider.last_name, "AAA");
}

TEST_F(GeneratedCodeFixture, ValueOutOfItsTypesRangeIsBadMessage)
{
    const std::vector<seL4_Word> good = {seL4_Word(-128), 255, seL4_Word(-32768), 65535, seL4_Word(INT32_MIN),
                                         UINT32_MAX, 1, DEMO_COLOR_BLUE};
    EXPECT_EQ(status_of(deliver(DEMO_SERVER_FROM_CLIENT1, DEMO_LABEL_MIX, good)), 0);
    const std::pair<size_t, seL4_Word> bad[] = {
        {0, 128}, {0, seL4_Word(-129)}, {1, 256}, {2, 32768}, {3, 65536},
        {4, seL4_Word(INT32_MAX) + 1}, {5, seL4_Word(UINT32_MAX) + 1}, {6, 2}, {7, 3}, {7, 1ull << 32},
    };
    for (auto [index, value] : bad) {
        std::vector<seL4_Word> words = good;
        words[index] = value;
        SCOPED_TRACE(testing::Message() << "word " << index << " = " << value);
        expect_refused(DEMO_LABEL_MIX, words, TESSERA_IFACE_BAD_MESSAGE);
    }
    // bool[5]: the bytes are 0 or 1.
    expect_refused(DEMO_LABEL_FLAGS, {0x0000000201}, TESSERA_IFACE_BAD_MESSAGE);
    // color[] of 1: value 4 is no color.
    expect_refused(DEMO_LABEL_ROTATE, {1, 4}, TESSERA_IFACE_BAD_MESSAGE);
}

// A provider that answers every call with the reply it is given, to test the client's checks.
class ScriptedReplyFixture : public GeneratedCodeFixture {
protected:
    void reply_with(seL4_Word label_bits, std::vector<seL4_Word> words)
    {
        fake_microkit::set_provider([label_bits, words](microkit_channel, microkit_msginfo) {
            fake_microkit::begin_reply();
            for (size_t i = 0; i < words.size(); ++i)
                microkit_mr_set(static_cast<seL4_Uint8>(i), words[i]);
            return microkit_msginfo_new(label_bits, static_cast<seL4_Uint16>(words.size()));
        });
    }
};

TEST_F(ScriptedReplyFixture, ReplyWithAnotherLabelIsBadReply)
{
    int64_t sum = 5;
    reply_with(0, {});
    EXPECT_EQ(demo_add(DEMO_CLIENT1, 1, 2, &sum), TESSERA_IFACE_BAD_REPLY);
    fake_microkit::begin_call();
    reply_with(DEMO_LABEL_SUM, {3});
    EXPECT_EQ(demo_add(DEMO_CLIENT1, 1, 2, &sum), TESSERA_IFACE_BAD_REPLY);
    EXPECT_EQ(sum, 5);
}

TEST_F(ScriptedReplyFixture, NoProviderAtAllIsBadReply)
{
    fake_microkit::set_provider(nullptr);
    int64_t sum = 0;
    EXPECT_EQ(demo_add(DEMO_CLIENT1, 1, 2, &sum), TESSERA_IFACE_BAD_REPLY);
}

TEST_F(ScriptedReplyFixture, ReplyWithWrongCountIsBadReply)
{
    int64_t sum = 0;
    reply_with(DEMO_LABEL_ADD, {});
    EXPECT_EQ(demo_add(DEMO_CLIENT1, 1, 2, &sum), TESSERA_IFACE_BAD_REPLY);
    fake_microkit::begin_call();
    reply_with(DEMO_LABEL_ADD, {1, 2});
    EXPECT_EQ(demo_add(DEMO_CLIENT1, 1, 2, &sum), TESSERA_IFACE_BAD_REPLY);
}

TEST_F(ScriptedReplyFixture, ReplyValuesAreCheckedLikeRequests)
{
    enum demo_color colors[3];
    reply_with(DEMO_LABEL_PALETTE, {0x0000000500000009ull, 0}); // 9 is no color
    EXPECT_EQ(demo_palette(DEMO_CLIENT1, DEMO_COLOR_RED, colors), TESSERA_IFACE_BAD_REPLY);
    char greeting[DEMO_GREET_GREETING_BOUND + 1];
    fake_microkit::begin_call();
    reply_with(DEMO_LABEL_GREET, {41, 0, 0, 0, 0, 0, 0});
    EXPECT_EQ(demo_greet(DEMO_CLIENT1, "x", greeting), TESSERA_IFACE_BAD_REPLY);
    fake_microkit::begin_call();
    reply_with(DEMO_LABEL_GREET, {40});
    EXPECT_EQ(demo_greet(DEMO_CLIENT1, "x", greeting), TESSERA_IFACE_BAD_REPLY);
    uint8_t data[DEMO_FILL_DATA_BOUND];
    size_t length = 0;
    fake_microkit::begin_call();
    reply_with(DEMO_LABEL_FILL, {201});
    EXPECT_EQ(demo_fill(DEMO_CLIENT1, 0, 1, data, &length), TESSERA_IFACE_BAD_REPLY);
}

TEST_F(ScriptedReplyFixture, ReplyStatusIsTheCallsResult)
{
    reply_with(label(DEMO_METHOD_NOTHING, DEMO_ERROR_TOO_BIG), {});
    EXPECT_EQ(demo_nothing(DEMO_CLIENT1), DEMO_ERROR_TOO_BIG);
}

TEST(GeneratedConstants, LabelsCarryFingerprintAndMethod)
{
    EXPECT_EQ(DEMO_LABEL_ADD, (seL4_Word)DEMO_FINGERPRINT << 16 | 1);
    EXPECT_EQ(DEMO_METHOD_ROTATE, 14);
    EXPECT_NE(DEMO_FINGERPRINT, CALC_FINGERPRINT);
    // Labels fit seL4's 52 bits.
    EXPECT_EQ(DEMO_LABEL_ROTATE >> 52, 0u);
    EXPECT_EQ(sizeof(struct demo_shape), 40u);
}

} // namespace
