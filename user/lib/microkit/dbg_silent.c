/* microkit_dbg_putc of the release configuration: a release kernel has no debug console, so
 * nothing is printed (as in Microkit's release libmicrokit). */
#include <microkit.h>

void microkit_dbg_putc(int c)
{
    (void)c;
}
