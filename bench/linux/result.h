// Errors as values for the Linux baseline: a failed system call names the call and its errno.
// Host-only (uses std::string and std::variant); the freestanding code has its own error types.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tessera::bench::baseline {

struct SystemError {
    std::string operation; // what failed, e.g. "fork" or "read from child"
    int error_number;      // errno at the failure, 0 when the failure was not a system call

    std::string describe() const;
};

// A value or the SystemError that prevented it.
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(SystemError error) : state_(std::move(error)) {}

    explicit operator bool() const { return std::holds_alternative<T>(state_); }
    T& value() { return std::get<T>(state_); }
    const SystemError& error() const { return std::get<SystemError>(state_); }

private:
    std::variant<T, SystemError> state_;
};

// The void case: success carries nothing.
template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(SystemError error) : error_(std::move(error)), failed_(true) {}

    explicit operator bool() const { return !failed_; }
    const SystemError& error() const { return error_; }

private:
    SystemError error_{};
    bool failed_ = false;
};

// The SystemError for a system call that just failed, with the current errno.
SystemError last_system_error(std::string operation);

} // namespace tessera::bench::baseline
