// The logger behind <tessera/log.h>, as a class so that tests (and a component that wants two
// channels) can have several. The C functions use one global instance.
#pragma once

#include <tessera/log.h>

namespace tessera::log {

enum class Level {
    Error = TESSERA_LOG_ERROR,
    Warn = TESSERA_LOG_WARN,
    Info = TESSERA_LOG_INFO,
    Debug = TESSERA_LOG_DEBUG
};

class Logger {
public:
    // Constant-initialisable: a global logger works before constructors run.
    constexpr Logger() = default;
    constexpr Logger(const char* name, tessera_put_fn put, void* context)
        : name_(name), put_(put), context_(context)
    {
    }

    void set_output(const char* name, tessera_put_fn put, void* context);
    void set_threshold(Level threshold) { threshold_ = threshold; }
    bool is_enabled(Level level) const { return level <= threshold_; }

    // One "[name] level: message" line; returns its length, or 0 when filtered out.
    int write(Level level, const char* format, va_list args) __attribute__((format(printf, 3, 0)));

private:
    const char* name_ = nullptr;
    tessera_put_fn put_ = nullptr;
    void* context_ = nullptr;
    Level threshold_ = Level::Info;
};

const char* level_name(Level level);

} // namespace tessera::log
