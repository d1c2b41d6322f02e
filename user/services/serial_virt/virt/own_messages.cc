// The serial virtualiser's own message lines (own_messages.h).
#include "own_messages.h"

#include <stdio.h>

namespace tessera::serial {

void OwnMessages::add(const char* format, ...)
{
    if (tail_ - head_ == Capacity) {
        ++dropped_;
        return;
    }
    char* line = lines_[tail_ % Capacity];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, LineBytes - 1, format, args);
    va_end(args);
    if (length < 0)
        length = 0;
    if (static_cast<uint32_t>(length) > LineBytes - 2)
        length = LineBytes - 2; // cut to fit, the newline still goes on
    line[length] = '\n';
    lengths_[tail_ % Capacity] = static_cast<uint32_t>(length) + 1;
    ++tail_;
}

} // namespace tessera::serial
