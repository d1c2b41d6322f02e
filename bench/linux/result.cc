// Text and construction of SystemError (see result.h).
#include "result.h"

#include <cerrno>
#include <cstring>

namespace tessera::bench::baseline {

std::string SystemError::describe() const
{
    if (error_number == 0)
        return operation;
    return operation + ": " + std::strerror(error_number);
}

SystemError last_system_error(std::string operation)
{
    return SystemError{std::move(operation), errno};
}

} // namespace tessera::bench::baseline
