/* Answers each notification from the parent, which suspends and resumes it by capability. */
#include <microkit.h>

#define PARENT 0

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch == PARENT)
        microkit_notify(PARENT);
}
