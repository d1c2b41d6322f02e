// Text comparison and construction without the C library's string functions, so the library is
// the same in the kernel-free user world and on the host.
#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

Text::Text(const char* c_string) : data(c_string), length(0)
{
    while (c_string != nullptr && c_string[length] != '\0')
        ++length;
}

bool Text::operator==(Text other) const
{
    if (length != other.length)
        return false;
    for (size_t i = 0; i < length; ++i)
        if (data[i] != other.data[i])
            return false;
    return true;
}

} // namespace tessera::manager_config
