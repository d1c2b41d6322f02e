// Formats one log line: prefix, message, and exactly one newline at the end.

#include <tessera/logger.h>

namespace tessera::log {
namespace {

// Forwards to the logger's hook and remembers the last character, to end the line once.
struct LineSink {
    tessera_put_fn put;
    void* context;
    char last;
};

void put_line_character(void* context, char c)
{
    auto* sink = static_cast<LineSink*>(context);
    sink->put(sink->context, c);
    sink->last = c;
}

void discard(void*, char) {}

int format_into(LineSink& sink, const char* format, ...) __attribute__((format(printf, 2, 3)));

int format_into(LineSink& sink, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vformat(put_line_character, &sink, format, args);
    va_end(args);
    return count;
}

} // namespace

const char* level_name(Level level)
{
    switch (level) {
    case Level::Error:
        return "error";
    case Level::Warn:
        return "warn";
    case Level::Info:
        return "info";
    case Level::Debug:
        return "debug";
    }
    return "?";
}

void Logger::set_output(const char* name, tessera_put_fn put, void* context)
{
    name_ = name;
    put_ = put;
    context_ = context;
}

int Logger::write(Level level, const char* format, va_list args)
{
    if (!is_enabled(level))
        return 0;
    LineSink sink{put_ != nullptr ? put_ : discard, context_, '\0'};
    int count = format_into(sink, "[%s] %s: ", name_ != nullptr ? name_ : "?", level_name(level));
    count += tessera_vformat(put_line_character, &sink, format, args);
    if (sink.last != '\n') {
        put_line_character(&sink, '\n');
        ++count;
    }
    return count;
}

} // namespace tessera::log
