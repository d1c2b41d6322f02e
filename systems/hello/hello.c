/* The smallest system: one protection domain that greets and checks what the tool set up for
 * it (its name, no channels, a usable stack). */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

void init(void)
{
    printf("hello: hello, world, from protection domain '%s'\n", microkit_name);
    check("hello.name", strcmp(microkit_name, "hello") == 0);
    check("hello.no_channels_or_irqs",
          microkit_notifications == 0 && microkit_pps == 0 && microkit_irqs == 0);
    check("hello.not_passive", microkit_passive == 0);

    /* The default stack is two pages: a page-sized local must fit and keep its contents. */
    volatile char page[4096];
    for (unsigned i = 0; i < sizeof page; ++i)
        page[i] = (char)(i * 7);
    unsigned wrong = 0;
    for (unsigned i = 0; i < sizeof page; ++i)
        wrong += page[i] != (char)(i * 7);
    check("hello.stack_holds_a_page", wrong == 0);
    check_summary();
}

void notified(microkit_channel ch)
{
    printf("hello: unexpected notification on channel %u\n", ch);
}
