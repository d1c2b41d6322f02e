// Clearing memory through the window; volatile stores keep the compiler from turning the loop
// into a memset call, which the freestanding kernel may not provide.

#include "base/memory_window.h"

namespace tessera::core {

void MemoryWindow::zero(PAddr address, Word bytes) const
{
    volatile Word* word = at<Word>(address);
    for (Word i = 0; i < bytes / sizeof(Word); ++i)
        word[i] = 0;
}

} // namespace tessera::core
