// Messages built from pieces into fixed buffers, and the bounded list of errors.
#include <tessera/manager_config/diagnostics.h>

namespace tessera::manager_config {

Message& Message::operator<<(Text text)
{
    for (size_t i = 0; i < text.length && length_ < MessageCapacity; ++i)
        bytes_[length_++] = text.data[i];
    bytes_[length_] = '\0';
    return *this;
}

Message& Message::operator<<(uint64_t number)
{
    char digits[20];
    size_t count = 0;
    do {
        digits[count++] = static_cast<char>('0' + number % 10);
        number /= 10;
    } while (number != 0);
    char in_order[20];
    for (size_t i = 0; i < count; ++i)
        in_order[i] = digits[count - 1 - i];
    return *this << Text(in_order, count);
}

Message& Message::quoted(Text text)
{
    return *this << "'" << text << "'";
}

void Diagnostics::error(Location where, const Message& message)
{
    ++total_;
    if (kept_ == MaxDiagnostics)
        return;
    Diagnostic& slot = errors_[kept_++];
    slot.where = where;
    const Text text(message.c_str());
    for (size_t i = 0; i <= text.length; ++i)
        slot.message[i] = message.c_str()[i];
}

} // namespace tessera::manager_config
