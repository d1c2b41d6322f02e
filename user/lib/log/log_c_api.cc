// The C logging functions over one global logger.

#include <tessera/log.h>
#include <tessera/logger.h>

namespace {

constinit tessera::log::Logger global_logger;

tessera::log::Level level_of(tessera_log_level level)
{
    // Out-of-range values from C count as the least severe level.
    if (level < TESSERA_LOG_ERROR || level > TESSERA_LOG_DEBUG)
        return tessera::log::Level::Debug;
    return static_cast<tessera::log::Level>(level);
}

} // namespace

extern "C" {

void tessera_log_init(const char* component_name, tessera_put_fn put, void* context)
{
    global_logger.set_output(component_name, put, context);
}

void tessera_log_set_level(tessera_log_level threshold)
{
    global_logger.set_threshold(level_of(threshold));
}

int tessera_vlog(tessera_log_level level, const char* format, va_list args)
{
    return global_logger.write(level_of(level), format, args);
}

int tessera_log(tessera_log_level level, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vlog(level, format, args);
    va_end(args);
    return count;
}

int tessera_log_error(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vlog(TESSERA_LOG_ERROR, format, args);
    va_end(args);
    return count;
}

int tessera_log_warn(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vlog(TESSERA_LOG_WARN, format, args);
    va_end(args);
    return count;
}

int tessera_log_info(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vlog(TESSERA_LOG_INFO, format, args);
    va_end(args);
    return count;
}

int tessera_log_debug(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = tessera_vlog(TESSERA_LOG_DEBUG, format, args);
    va_end(args);
    return count;
}

} // extern "C"
