// Where the file system's timestamps come from: the component's clock, or a test's fixed time.
#pragma once

#include <tessera/ext2/types.h>

namespace tessera::ext2 {

class Clock {
public:
    virtual Timestamp now() = 0;

protected:
    ~Clock() = default;
};

} // namespace tessera::ext2
