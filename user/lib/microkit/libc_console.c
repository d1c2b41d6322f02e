/* In-tree programs only: Tessera's C library prints (printf) through libmicrokit's debug
 * output. A constructor of the earliest priority, so a program's own constructors may print. */
#include <microkit.h>
#include <tessera/libc.h>

static void put(void *context, char c)
{
    (void)context;
    microkit_dbg_putc(c);
}

__attribute__((constructor(101))) static void microkit_libc_console(void)
{
    tessera_set_output(put, 0);
}
