// Byte strings without a heap: a view into the configuration text, and a fixed-capacity copy that
// a configuration keeps after its text is gone.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::manager_config {

// A view of bytes owned elsewhere (the configuration text); not NUL-terminated.
struct Text {
    const char* data = nullptr;
    size_t length = 0;

    constexpr Text() = default;
    constexpr Text(const char* bytes, size_t count) : data(bytes), length(count) {}
    // From a string literal or other NUL-terminated string.
    Text(const char* c_string);
    bool operator==(Text other) const;
    bool is_empty() const { return length == 0; }
};

// A copy of a name or path, at most Capacity bytes, always NUL-terminated for C callers.
template <size_t Capacity> class FixedString {
public:
    static constexpr size_t capacity = Capacity;

    // Fails (returns false, leaves the string empty) when the text does not fit.
    bool assign(Text text)
    {
        length_ = 0;
        bytes_[0] = '\0';
        if (text.length > Capacity)
            return false;
        for (size_t i = 0; i < text.length; ++i)
            bytes_[i] = text.data[i];
        length_ = text.length;
        bytes_[length_] = '\0';
        return true;
    }
    Text text() const { return Text{bytes_, length_}; }
    const char* c_str() const { return bytes_; }
    bool is_empty() const { return length_ == 0; }
    bool operator==(const FixedString& other) const { return text() == other.text(); }
    bool operator==(Text other) const { return text() == other; }

private:
    char bytes_[Capacity + 1] = {};
    size_t length_ = 0;
};

// Names (children, services, labels, versions, interfaces) and paths (program files).
constexpr size_t NameCapacity = 47;
constexpr size_t PathCapacity = 127;
using Name = FixedString<NameCapacity>;
using Path = FixedString<PathCapacity>;

// A position in the configuration text; both count from 1, 0 means "unknown".
struct Location {
    uint32_t line = 0;
    uint32_t column = 0;
    bool operator==(const Location&) const = default;
};

} // namespace tessera::manager_config
