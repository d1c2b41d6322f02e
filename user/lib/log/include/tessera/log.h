/* Levelled logging for components: each message becomes one line "[name] level: message",
 * formatted printf-style by the shared formatter and written through an output hook.
 * Compiles as C11 and C++20. */
#pragma once

#include <stdarg.h>

#include <tessera/format.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lower is more severe. Messages above the threshold (default INFO) are dropped unformatted. */
typedef enum tessera_log_level {
    TESSERA_LOG_ERROR = 0,
    TESSERA_LOG_WARN = 1,
    TESSERA_LOG_INFO = 2,
    TESSERA_LOG_DEBUG = 3
} tessera_log_level;

/* Names the component in every line and sets where lines go (NULL `put` discards them). The
 * name is not copied: pass a string that lives as long as the component. Call before logging;
 * not synchronised with concurrent logging. */
void tessera_log_init(const char* component_name, tessera_put_fn put, void* context);

/* Keeps messages of `threshold` and more severe ones. */
void tessera_log_set_level(tessera_log_level threshold);

/* Writes one line and returns its length in characters, or 0 when the level is filtered out.
 * A message that already ends in a newline gets no second one. */
int tessera_log(tessera_log_level level, const char* format, ...)
    __attribute__((format(printf, 2, 3)));
int tessera_vlog(tessera_log_level level, const char* format, va_list args)
    __attribute__((format(printf, 2, 0)));

int tessera_log_error(const char* format, ...) __attribute__((format(printf, 1, 2)));
int tessera_log_warn(const char* format, ...) __attribute__((format(printf, 1, 2)));
int tessera_log_info(const char* format, ...) __attribute__((format(printf, 1, 2)));
int tessera_log_debug(const char* format, ...) __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif
