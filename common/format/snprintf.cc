// snprintf on top of the formatting engine: a sink that fills a bounded buffer.

#include <tessera/format.h>

namespace {

struct BoundedBuffer {
    char* data;
    size_t size;     // capacity including the terminating NUL
    size_t produced; // characters the full output has so far, stored or not
};

void put_bounded(void* context, char c)
{
    auto* buffer = static_cast<BoundedBuffer*>(context);
    if (buffer->produced + 1 < buffer->size)
        buffer->data[buffer->produced] = c;
    ++buffer->produced;
}

} // namespace

extern "C" int tessera_vsnprintf(char* buffer, size_t size, const char* format, va_list args)
{
    BoundedBuffer bounded{buffer, size, 0};
    const int count = tessera_vformat(put_bounded, &bounded, format, args);
    if (size > 0)
        bounded.data[bounded.produced < size ? bounded.produced : size - 1] = '\0';
    return count;
}

extern "C" int tessera_snprintf(char* buffer, size_t size, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vsnprintf(buffer, size, format, args);
    va_end(args);
    return count;
}
