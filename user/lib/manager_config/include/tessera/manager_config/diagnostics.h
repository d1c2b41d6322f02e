// Errors found in a configuration: each with its line and column and a message, collected so that
// one pass reports them all. Fixed capacity; what does not fit is counted, never dropped silently.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

constexpr size_t MaxDiagnostics = 32;
constexpr size_t MessageCapacity = 191;

struct Diagnostic {
    Location where;
    char message[MessageCapacity + 1] = {};
};

// Builds one message from pieces; truncates at MessageCapacity rather than failing.
class Message {
public:
    Message& operator<<(Text text);
    Message& operator<<(const char* c_string) { return *this << Text(c_string); }
    Message& operator<<(uint64_t number);
    Message& quoted(Text text); // 'text'
    const char* c_str() const { return bytes_; }

private:
    char bytes_[MessageCapacity + 1] = {};
    size_t length_ = 0;
};

class Diagnostics {
public:
    void error(Location where, const Message& message);
    bool is_empty() const { return total_ == 0; }
    size_t count() const { return total_; } // all errors, kept or not
    size_t kept() const { return kept_; }   // those in all()
    const Diagnostic* all() const { return errors_; }

private:
    Diagnostic errors_[MaxDiagnostics];
    size_t kept_ = 0;
    size_t total_ = 0;
};

} // namespace tessera::manager_config
