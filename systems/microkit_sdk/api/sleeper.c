/* Answers each notification on its channel 0: the sleeper answers the parent, which suspends
 * and resumes it by capability; the pacer (the same program) answers the devices PD. */
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
