/* The C provider of the host tests' interfaces (demo.system), written against the generated C
 * header and compiled as C11: what a provider written in C looks like, and what the tests check
 * round trips against. Each implementation starts the reply phase of the fake. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "demo.h"
#include "demo_provider.h"

struct demo_provider_state demo_provider;

/* What the dispatcher promises an implementation: every argument within its type and bound. The
 * dispatch fuzzer relies on these to find a request that slips through. */
static void expect_input(int valid, const char *what)
{
    if (!valid) {
        fprintf(stderr, "demo provider: the dispatcher passed %s\n", what);
        abort();
    }
}

static int byte_is_bool(const void *value)
{
    unsigned char byte;
    memcpy(&byte, value, 1);
    return byte <= 1;
}

static int is_color(enum demo_color color)
{
    uint32_t raw;
    memcpy(&raw, &color, sizeof raw);
    return demo_color_is_valid(raw);
}

int calc_serve_add(microkit_channel ch, uint64_t a, uint64_t b, uint64_t *result)
{
    (void)ch;
    fake_microkit_begin_reply();
    *result = a + b;
    return 0;
}

int demo_serve_add(microkit_channel ch, int64_t a, int64_t b, int64_t *result)
{
    fake_microkit_begin_reply();
    demo_provider.last_channel = ch;
    *result = (int64_t)((uint64_t)a + (uint64_t)b);
    return 0;
}

int demo_serve_mix(microkit_channel ch, int8_t *i8, uint8_t *u8, int16_t *i16, uint16_t *u16,
                   int32_t *i32, uint32_t *u32, bool *flag, enum demo_color *hue)
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(byte_is_bool(flag) && is_color(*hue), "a bool or colour out of range to mix");
    *i8 = (int8_t)(-*i8 - 1);
    *u8 = (uint8_t)(*u8 + 1);
    *i16 = (int16_t)(-*i16 - 1);
    *u16 = (uint16_t)(*u16 * 2);
    *i32 = -*i32 - 1;
    *u32 = ~*u32;
    *flag = !*flag;
    *hue = *hue == DEMO_COLOR_RED ? DEMO_COLOR_GREEN : *hue == DEMO_COLOR_GREEN ? DEMO_COLOR_BLUE : DEMO_COLOR_RED;
    if (demo_provider.misbehave)
        *hue = (enum demo_color)99;
    return 0;
}

int demo_serve_greet(microkit_channel ch, const char *name, char greeting[DEMO_GREET_GREETING_BOUND + 1])
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(strlen(name) <= DEMO_GREET_NAME_BOUND, "a name past its bound to greet");
    snprintf(greeting, DEMO_GREET_GREETING_BOUND + 1, "hello, %s", name);
    strncpy(demo_provider.last_name, name, sizeof demo_provider.last_name - 1);
    return 0;
}

int demo_serve_sum(microkit_channel ch, const int32_t *values, size_t values_length, int64_t *result)
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(values_length <= DEMO_SUM_VALUES_BOUND, "a sequence past its bound to sum");
    *result = 0;
    for (size_t i = 0; i < values_length; ++i)
        *result += values[i];
    demo_provider.last_length = values_length;
    return 0;
}

int demo_serve_scale(microkit_channel ch, int16_t values[DEMO_SCALE_VALUES_BOUND], size_t *values_length,
                     int16_t factor)
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(*values_length <= DEMO_SCALE_VALUES_BOUND, "a sequence past its bound to scale");
    for (size_t i = 0; i < *values_length; ++i)
        values[i] = (int16_t)(values[i] * factor);
    if (demo_provider.misbehave)
        *values_length = DEMO_SCALE_VALUES_BOUND + 1;
    return 0;
}

int demo_serve_flags(microkit_channel ch, const bool bits[5], bool inverted[5], uint8_t *result)
{
    (void)ch;
    fake_microkit_begin_reply();
    *result = 0;
    for (int i = 0; i < 5; ++i)
        expect_input(byte_is_bool(&bits[i]), "a bool out of range to flags");
    for (int i = 0; i < 5; ++i) {
        inverted[i] = !bits[i];
        *result = (uint8_t)(*result + bits[i]);
    }
    return 0;
}

int demo_serve_palette(microkit_channel ch, enum demo_color base, enum demo_color colors[3])
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(is_color(base), "a colour out of range to palette");
    colors[0] = base;
    colors[1] = DEMO_COLOR_GREEN;
    colors[2] = demo_provider.misbehave ? (enum demo_color)7 : DEMO_COLOR_BLUE;
    return 0;
}

int demo_serve_fill(microkit_channel ch, uint8_t pattern, uint16_t size, uint8_t data[DEMO_FILL_DATA_BOUND],
                    size_t *data_length)
{
    (void)ch;
    fake_microkit_begin_reply();
    if (size > DEMO_FILL_DATA_BOUND)
        return DEMO_ERROR_TOO_BIG;
    for (uint16_t i = 0; i < size; ++i)
        data[i] = (uint8_t)(pattern + i);
    *data_length = size;
    return 0;
}

int demo_serve_store(microkit_channel ch, uint8_t *buffer, const char *key, const uint8_t *data, size_t data_length)
{
    (void)ch;
    (void)buffer;
    fake_microkit_begin_reply();
    expect_input(strlen(key) <= DEMO_STORE_KEY_BOUND && data_length <= DEMO_STORE_DATA_BOUND,
                 "a key or data past its bound to store");
    snprintf(demo_provider.stored_key, sizeof demo_provider.stored_key, "%s", key);
    memcpy(demo_provider.stored, data, data_length);
    demo_provider.stored_length = data_length;
    return 0;
}

int demo_serve_load(microkit_channel ch, uint8_t *buffer, const char *key, uint8_t data[DEMO_LOAD_DATA_BOUND],
                    size_t *data_length, uint32_t checksum[2])
{
    (void)ch;
    (void)buffer;
    fake_microkit_begin_reply();
    expect_input(strlen(key) <= DEMO_LOAD_KEY_BOUND, "a key past its bound to load");
    if (strcmp(key, demo_provider.stored_key) != 0)
        return DEMO_ERROR_NOPE;
    memcpy(data, demo_provider.stored, demo_provider.stored_length);
    *data_length = demo_provider.stored_length;
    checksum[0] = (uint32_t)demo_provider.stored_length;
    checksum[1] = 0;
    for (size_t i = 0; i < demo_provider.stored_length; ++i)
        checksum[1] += demo_provider.stored[i];
    return 0;
}

int demo_serve_fail(microkit_channel ch, uint8_t code)
{
    (void)ch;
    fake_microkit_begin_reply();
    return code;
}

int demo_serve_nothing(microkit_channel ch)
{
    (void)ch;
    fake_microkit_begin_reply();
    demo_provider.nothing_calls++;
    return 0;
}

int demo_serve_long_text(microkit_channel ch, char text[DEMO_LONG_TEXT_TEXT_BOUND + 1])
{
    (void)ch;
    fake_microkit_begin_reply();
    /* All 901 bytes are the provider's; without a NUL in them the text is too long. */
    const size_t length = demo_provider.misbehave ? DEMO_LONG_TEXT_TEXT_BOUND + 1 : DEMO_LONG_TEXT_TEXT_BOUND;
    for (size_t i = 0; i < length; ++i)
        text[i] = (char)('a' + i % 26);
    if (!demo_provider.misbehave)
        text[length] = 0;
    return 0;
}

int demo_serve_rotate(microkit_channel ch, enum demo_color colors[DEMO_ROTATE_COLORS_BOUND], size_t *colors_length)
{
    (void)ch;
    fake_microkit_begin_reply();
    expect_input(*colors_length <= DEMO_ROTATE_COLORS_BOUND, "a sequence past its bound to rotate");
    for (size_t i = 0; i < *colors_length; ++i)
        expect_input(is_color(colors[i]), "a colour out of range to rotate");
    for (size_t i = 0; i < *colors_length; ++i)
        colors[i] = colors[i] == DEMO_COLOR_BLUE ? DEMO_COLOR_RED : colors[i] == DEMO_COLOR_RED ? DEMO_COLOR_GREEN
                                                                                              : DEMO_COLOR_BLUE;
    return 0;
}
