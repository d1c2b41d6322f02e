// How a component stops on a broken invariant: abort() and failed assert()s.
#pragma once

namespace tessera::libc {

using AbortHandler = void (*)();

// The handler runs first on abort (the runtime may report to a monitor or suspend the thread);
// if it returns, the thread executes a trapping instruction and so faults to its fault handler.
void set_abort_handler(AbortHandler handler);

[[noreturn]] void abort();

// Prints "assertion failed: <expression> (<file>:<line>, <function>)" and aborts.
[[noreturn]] void assertion_failed(const char* expression, const char* file, int line,
                                   const char* function);

} // namespace tessera::libc
