// The generated C++ header of demo.system: typed stubs (enum classes, references, a Status) and
// a provider written as a class, dispatched through the template the header generates; both
// speak the C header's wire format, checked against its C provider.
#include <gtest/gtest.h>

#include <cstring>

#include "calc.hpp"
#include "demo.hpp"
#include "demo_provider.h"
#include "fake_microkit.h"

namespace {

// A provider in C++: each member function is one method of demo.
class Board {
public:
    demo::Status add(microkit_channel ch, int64_t a, int64_t b, int64_t& result)
    {
        fake_microkit_begin_reply();
        last_channel = ch;
        result = a * b; // distinguishable from the C provider's sum
        return demo::Status::ok;
    }
    demo::Status mix(microkit_channel, int8_t&, uint8_t&, int16_t&, uint16_t&, int32_t&, uint32_t&, bool& flag,
                     demo::Color& hue)
    {
        fake_microkit_begin_reply();
        flag = !flag;
        hue = hue == demo::Color::blue ? demo::Color::red : demo::Color::blue;
        return demo::Status::ok;
    }
    demo::Status greet(microkit_channel, const char* name, char (&greeting)[DEMO_GREET_GREETING_BOUND + 1])
    {
        fake_microkit_begin_reply();
        std::strcpy(greeting, "hi ");
        std::strncat(greeting, name, DEMO_GREET_GREETING_BOUND - 3);
        return demo::Status::ok;
    }
    demo::Status sum(microkit_channel, const int32_t*, size_t, int64_t&) { return demo::Status::nope; }
    demo::Status scale(microkit_channel, int16_t (&)[DEMO_SCALE_VALUES_BOUND], size_t&, int16_t)
    {
        return demo::Status::nope;
    }
    demo::Status flags(microkit_channel, const bool (&)[5], bool (&)[5], uint8_t&) { return demo::Status::nope; }
    demo::Status palette(microkit_channel, demo::Color base, demo::Color (&colors)[3])
    {
        fake_microkit_begin_reply();
        colors[0] = colors[1] = colors[2] = base;
        return demo::Status::ok;
    }
    demo::Status fill(microkit_channel, uint8_t, uint16_t, uint8_t (&)[DEMO_FILL_DATA_BOUND], size_t&)
    {
        return demo::Status::too_big;
    }
    demo::Status store(microkit_channel, uint8_t*, const char*, const uint8_t*, size_t) { return demo::Status::nope; }
    demo::Status load(microkit_channel, uint8_t*, const char*, uint8_t (&)[DEMO_LOAD_DATA_BOUND], size_t&,
                      uint32_t (&)[2])
    {
        return demo::Status::nope;
    }
    demo::Status fail(microkit_channel, uint8_t code) { return static_cast<demo::Status>(code); }
    demo::Status nothing(microkit_channel)
    {
        ++nothing_calls;
        return demo::Status::ok;
    }
    demo::Status long_text(microkit_channel, char (&)[DEMO_LONG_TEXT_TEXT_BOUND + 1]) { return demo::Status::nope; }
    demo::Status rotate(microkit_channel, demo::Color (&colors)[DEMO_ROTATE_COLORS_BOUND], size_t& length)
    {
        fake_microkit_begin_reply();
        for (size_t i = 0; i < length; ++i)
            colors[i] = demo::Color::green;
        length = length > 0 ? length - 1 : 0;
        return demo::Status::ok;
    }

    microkit_channel last_channel = 99;
    int nothing_calls = 0;
};

class CppApiFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        fake_microkit::set_provider([this](microkit_channel ch, microkit_msginfo info) {
            return demo::server_dispatch(board, ch, info);
        });
        fake_microkit::set_caller({{DEMO_CLIENT1, DEMO_SERVER_FROM_CLIENT1}, {CALC_CLIENT1, CALC_SERVER_FROM_CLIENT1}});
        fake_microkit::begin_call();
    }

    Board board;
};

TEST_F(CppApiFixture, TypedStubReachesTheProvidersMemberFunction)
{
    int64_t product = 0;
    ASSERT_EQ(demo::add(DEMO_CLIENT1, 6, -7, product), demo::Status::ok);
    EXPECT_EQ(product, -42);
    EXPECT_EQ(board.last_channel, DEMO_SERVER_FROM_CLIENT1);
}

TEST_F(CppApiFixture, EnumClassesCrossBothWays)
{
    int8_t i8 = 1;
    uint8_t u8 = 2;
    int16_t i16 = 3;
    uint16_t u16 = 4;
    int32_t i32 = 5;
    uint32_t u32 = 6;
    bool flag = false;
    demo::Color hue = demo::Color::blue;
    ASSERT_EQ(demo::mix(DEMO_CLIENT1, i8, u8, i16, u16, i32, u32, flag, hue), demo::Status::ok);
    EXPECT_TRUE(flag);
    EXPECT_EQ(hue, demo::Color::red);

    fake_microkit::begin_call();
    demo::Color colors[3];
    ASSERT_EQ(demo::palette(DEMO_CLIENT1, demo::Color::green, colors), demo::Status::ok);
    EXPECT_EQ(colors[2], demo::Color::green);

    fake_microkit::begin_call();
    demo::Color sequence[DEMO_ROTATE_COLORS_BOUND] = {demo::Color::red, demo::Color::blue, demo::Color::red};
    size_t length = 3;
    ASSERT_EQ(demo::rotate(DEMO_CLIENT1, sequence, length), demo::Status::ok);
    EXPECT_EQ(length, 2u);
    EXPECT_EQ(sequence[0], demo::Color::green);
    EXPECT_EQ(sequence[1], demo::Color::green);
}

TEST_F(CppApiFixture, StringsAsSizedArrays)
{
    char greeting[DEMO_GREET_GREETING_BOUND + 1];
    fake_microkit::set_caller({{DEMO_CLIENT2, DEMO_SERVER_FROM_CLIENT2}});
    ASSERT_EQ(demo::greet(DEMO_CLIENT2, "you", greeting), demo::Status::ok);
    EXPECT_STREQ(greeting, "hi you");
}

TEST_F(CppApiFixture, ErrorsAndRestrictionsAsStatus)
{
    uint8_t data[DEMO_FILL_DATA_BOUND];
    size_t length = 0;
    EXPECT_EQ(demo::fill(DEMO_CLIENT1, 0, 1, data, length), demo::Status::too_big);
    fake_microkit::set_caller({{DEMO_CLIENT2, DEMO_SERVER_FROM_CLIENT2}});
    fake_microkit::begin_call();
    EXPECT_EQ(demo::nothing(DEMO_CLIENT2), demo::Status::bad_method);
    EXPECT_EQ(board.nothing_calls, 0);
    fake_microkit::set_caller({{DEMO_CLIENT1, DEMO_SERVER_FROM_CLIENT1}});
    fake_microkit::begin_call();
    EXPECT_EQ(demo::fail(DEMO_CLIENT1, 99), demo::Status::bad_result);
    EXPECT_STREQ(demo::status_name(demo::Status::wrong_interface), "wrong_interface");
}

TEST_F(CppApiFixture, CppClientAgainstTheCProvider)
{
    fake_microkit::set_provider([](microkit_channel ch, microkit_msginfo info) { return demo_server_dispatch(ch, info); });
    int64_t sum = 0;
    ASSERT_EQ(demo::add(DEMO_CLIENT1, 6, -7, sum), demo::Status::ok);
    EXPECT_EQ(sum, -1);
    fake_microkit::begin_call();
    uint64_t total = 0;
    fake_microkit::set_provider([](microkit_channel ch, microkit_msginfo info) { return calc_server_dispatch(ch, info); });
    ASSERT_EQ(calc::add(CALC_CLIENT1, 2, 3, total), calc::Status::ok);
    EXPECT_EQ(total, 5u);
}

TEST(CppApi, StructsAreTheCStructs)
{
    demo::Shape shape{};
    shape.corners[2].y = -1;
    shape.color = static_cast<uint32_t>(demo::Color::blue);
    EXPECT_EQ(sizeof shape, sizeof(struct demo_shape));
    EXPECT_EQ(DEMO_BOARD_SIZE, 0x1000);
    EXPECT_EQ(DEMO_XFER_COUNT, 4096);
}

} // namespace
