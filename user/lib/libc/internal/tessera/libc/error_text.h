// strerror's table: the words for an errno value, or nullptr for a value it does not know.
#pragma once

namespace tessera::libc {

const char* error_text(int code);

} // namespace tessera::libc
