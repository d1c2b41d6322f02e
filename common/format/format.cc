// The printf-style formatting engine: parses each conversion and renders it into a sink.
// Freestanding and integer-only, so the kernel (-mgeneral-regs-only) can use it unchanged.

#include <stdint.h>

#include <tessera/format.h>

namespace tessera::format {
namespace {

enum class Length { Default, Char, Short, Long, LongLong, Size, PtrDiff, IntMax };

enum class Sign { None, Minus, Plus, Space };

struct Spec {
    bool left = false;      // '-': pad on the right
    bool plus = false;      // '+': always show the sign of signed conversions
    bool space = false;     // ' ': a space where a '+' would go
    bool alternate = false; // '#': 0 for octal, 0x for hex
    bool zero = false;      // '0': pad numbers with zeros after sign and prefix
    int width = 0;
    int precision = -1; // negative: none given
    Length length = Length::Default;
};

// va_list is an array type on x86_64, so it is wrapped to be passed by reference portably.
struct Arguments {
    va_list list;
};

class Sink {
public:
    Sink(tessera_put_fn put, void* context) : put_(put), context_(context) {}

    void put(char c)
    {
        put_(context_, c);
        ++count_;
    }

    void repeat(char c, int times)
    {
        for (; times > 0; --times)
            put(c);
    }

    void write(const char* text, int length)
    {
        for (int i = 0; i < length; ++i)
            put(text[i]);
    }

    int count() const { return count_; }

private:
    tessera_put_fn put_;
    void* context_;
    int count_ = 0;
};

constexpr int MaximumField = 1 << 20; // widths beyond this are clamped instead of overflowing

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int parse_number(const char*& cursor)
{
    int value = 0;
    for (; is_digit(*cursor); ++cursor) {
        if (value < MaximumField)
            value = value * 10 + (*cursor - '0');
    }
    return value < MaximumField ? value : MaximumField;
}

void parse_flags(const char*& cursor, Spec& spec)
{
    for (;; ++cursor) {
        switch (*cursor) {
        case '-':
            spec.left = true;
            break;
        case '+':
            spec.plus = true;
            break;
        case ' ':
            spec.space = true;
            break;
        case '#':
            spec.alternate = true;
            break;
        case '0':
            spec.zero = true;
            break;
        default:
            return;
        }
    }
}

void parse_width(const char*& cursor, Spec& spec, Arguments& arguments)
{
    if (*cursor == '*') {
        ++cursor;
        int width = va_arg(arguments.list, int);
        if (width < 0) {
            // C: a negative width argument is a '-' flag followed by a positive width.
            spec.left = true;
            width = width < -MaximumField ? MaximumField : -width;
        }
        spec.width = width < MaximumField ? width : MaximumField;
    } else {
        spec.width = parse_number(cursor);
    }
}

void parse_precision(const char*& cursor, Spec& spec, Arguments& arguments)
{
    if (*cursor != '.')
        return;
    ++cursor;
    if (*cursor == '*') {
        ++cursor;
        int precision = va_arg(arguments.list, int);
        // C: a negative precision argument counts as if none was given.
        spec.precision = precision < 0 ? -1 : (precision < MaximumField ? precision : MaximumField);
    } else {
        spec.precision = parse_number(cursor); // "." alone means precision 0
    }
}

void parse_length(const char*& cursor, Spec& spec)
{
    switch (*cursor) {
    case 'h':
        ++cursor;
        spec.length = Length::Short;
        if (*cursor == 'h') {
            ++cursor;
            spec.length = Length::Char;
        }
        break;
    case 'l':
        ++cursor;
        spec.length = Length::Long;
        if (*cursor == 'l') {
            ++cursor;
            spec.length = Length::LongLong;
        }
        break;
    case 'z':
        ++cursor;
        spec.length = Length::Size;
        break;
    case 't':
        ++cursor;
        spec.length = Length::PtrDiff;
        break;
    case 'j':
        ++cursor;
        spec.length = Length::IntMax;
        break;
    default:
        break;
    }
}

int64_t fetch_signed(Length length, Arguments& arguments)
{
    switch (length) {
    case Length::Char:
        return static_cast<signed char>(va_arg(arguments.list, int));
    case Length::Short:
        return static_cast<short>(va_arg(arguments.list, int));
    case Length::Long:
        return va_arg(arguments.list, long);
    case Length::LongLong:
        return va_arg(arguments.list, long long);
    case Length::Size: // %zd reads the signed type of size_t's width
    case Length::PtrDiff:
        return va_arg(arguments.list, ptrdiff_t);
    case Length::IntMax:
        return va_arg(arguments.list, intmax_t);
    case Length::Default:
        break;
    }
    return va_arg(arguments.list, int);
}

uint64_t fetch_unsigned(Length length, Arguments& arguments)
{
    switch (length) {
    case Length::Char:
        return static_cast<unsigned char>(va_arg(arguments.list, unsigned));
    case Length::Short:
        return static_cast<unsigned short>(va_arg(arguments.list, unsigned));
    case Length::Long:
        return va_arg(arguments.list, unsigned long);
    case Length::LongLong:
        return va_arg(arguments.list, unsigned long long);
    case Length::Size:
        return va_arg(arguments.list, size_t);
    case Length::PtrDiff:
        return static_cast<uint64_t>(va_arg(arguments.list, ptrdiff_t));
    case Length::IntMax:
        return va_arg(arguments.list, uintmax_t);
    case Length::Default:
        break;
    }
    return va_arg(arguments.list, unsigned);
}

struct Number {
    uint64_t magnitude;
    Sign sign;
    unsigned base;
    bool upper;
    const char* prefix; // "0x", "0X" or ""
};

void emit_number(Sink& sink, const Spec& spec, const Number& number)
{
    const char* symbols = number.upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24]; // 22 octal digits hold 64 bits
    int count = 0;
    // C: zero printed with precision 0 produces no digits at all.
    if (!(number.magnitude == 0 && spec.precision == 0)) {
        uint64_t rest = number.magnitude;
        do {
            digits[count++] = symbols[rest % number.base];
            rest /= number.base;
        } while (rest != 0);
    }
    int zeros = spec.precision > count ? spec.precision - count : 0;
    // C: '#' with octal raises the precision just enough that the first digit is a zero.
    if (spec.alternate && number.base == 8 && zeros == 0 && (number.magnitude != 0 || count == 0))
        zeros = 1;
    int prefix_length = 0;
    while (number.prefix[prefix_length] != '\0')
        ++prefix_length;
    const int sign_length = number.sign == Sign::None ? 0 : 1;
    const int body = sign_length + prefix_length + zeros + count;
    int padding = spec.width > body ? spec.width - body : 0;
    // C: '0' pads with zeros only when '-' and a precision are both absent.
    if (!spec.left && spec.zero && spec.precision < 0) {
        zeros += padding;
        padding = 0;
    }
    if (!spec.left)
        sink.repeat(' ', padding);
    switch (number.sign) {
    case Sign::Minus:
        sink.put('-');
        break;
    case Sign::Plus:
        sink.put('+');
        break;
    case Sign::Space:
        sink.put(' ');
        break;
    case Sign::None:
        break;
    }
    sink.write(number.prefix, prefix_length);
    sink.repeat('0', zeros);
    while (count > 0)
        sink.put(digits[--count]);
    if (spec.left)
        sink.repeat(' ', padding);
}

Sign positive_sign(const Spec& spec)
{
    if (spec.plus)
        return Sign::Plus;
    if (spec.space)
        return Sign::Space;
    return Sign::None;
}

void emit_text(Sink& sink, const Spec& spec, const char* text, int length)
{
    const int padding = spec.width > length ? spec.width - length : 0;
    if (!spec.left)
        sink.repeat(' ', padding);
    sink.write(text, length);
    if (spec.left)
        sink.repeat(' ', padding);
}

void emit_string(Sink& sink, const Spec& spec, const char* text)
{
    if (text == nullptr) {
        // As glibc: "(null)", or nothing when the precision cannot hold all of it.
        text = spec.precision >= 0 && spec.precision < 6 ? "" : "(null)";
    }
    // Never read past the precision: the argument need not be NUL-terminated then.
    int length = 0;
    while ((spec.precision < 0 || length < spec.precision) && text[length] != '\0')
        ++length;
    emit_text(sink, spec, text, length);
}

void emit_pointer(Sink& sink, const Spec& spec, const void* pointer)
{
    if (pointer == nullptr) {
        // As glibc: "(nil)" is text, padded with spaces and never cut by the precision.
        Spec text_spec = spec;
        text_spec.precision = -1;
        emit_text(sink, text_spec, "(nil)", 5);
        return;
    }
    Number number{reinterpret_cast<uintptr_t>(pointer), positive_sign(spec), 16, false, "0x"};
    emit_number(sink, spec, number);
}

// Renders one conversion whose '%' is at `start`; returns where the format continues.
const char* emit_conversion(Sink& sink, const char* start, Arguments& arguments)
{
    const char* cursor = start + 1;
    Spec spec;
    parse_flags(cursor, spec);
    parse_width(cursor, spec, arguments);
    parse_precision(cursor, spec, arguments);
    parse_length(cursor, spec);
    const char conversion = *cursor;
    switch (conversion) {
    case 'd':
    case 'i': {
        const int64_t value = fetch_signed(spec.length, arguments);
        // Negate in unsigned arithmetic so INT64_MIN has a magnitude too.
        const uint64_t magnitude =
            value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
        const Sign sign = value < 0 ? Sign::Minus : positive_sign(spec);
        emit_number(sink, spec, Number{magnitude, sign, 10, false, ""});
        break;
    }
    case 'u':
        emit_number(sink, spec,
                    Number{fetch_unsigned(spec.length, arguments), Sign::None, 10, false, ""});
        break;
    case 'o':
        emit_number(sink, spec,
                    Number{fetch_unsigned(spec.length, arguments), Sign::None, 8, false, ""});
        break;
    case 'x':
    case 'X': {
        const bool upper = conversion == 'X';
        const uint64_t value = fetch_unsigned(spec.length, arguments);
        // C: '#' adds the prefix to nonzero values only.
        const char* prefix = spec.alternate && value != 0 ? (upper ? "0X" : "0x") : "";
        emit_number(sink, spec, Number{value, Sign::None, 16, upper, prefix});
        break;
    }
    case 'p':
        emit_pointer(sink, spec, va_arg(arguments.list, const void*));
        break;
    case 's':
        emit_string(sink, spec, va_arg(arguments.list, const char*));
        break;
    case 'c': {
        const char c = static_cast<char>(va_arg(arguments.list, int));
        emit_text(sink, spec, &c, 1);
        break;
    }
    case '%':
        sink.put('%');
        break;
    case '\0':
        // A lone '%' at the end: show what was written and stop.
        sink.write(start, static_cast<int>(cursor - start));
        return cursor;
    default:
        // Unsupported (floating point, %n, wide characters): show it as written.
        sink.write(start, static_cast<int>(cursor + 1 - start));
        break;
    }
    return cursor + 1;
}

} // namespace
} // namespace tessera::format

extern "C" int tessera_vformat(tessera_put_fn put, void* context, const char* format, va_list args)
{
    using namespace tessera::format;
    Sink sink(put, context);
    Arguments arguments;
    va_copy(arguments.list, args);
    const char* cursor = format;
    while (*cursor != '\0') {
        if (*cursor == '%') {
            cursor = emit_conversion(sink, cursor, arguments);
        } else {
            sink.put(*cursor++);
        }
    }
    va_end(arguments.list);
    return sink.count();
}

extern "C" int tessera_format(tessera_put_fn put, void* context, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vformat(put, context, format, args);
    va_end(args);
    return count;
}
