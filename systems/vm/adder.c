/* systems/vm.system's native protection domain: answers the VMM's calls (MR0 + 22) and, before
 * it replies, notifies the VMM, whose guest is about to run again: the VMM sees the notification
 * in place of its next guest entry (libmicrokit's VCPU event loop, docs/vmm.md). */
#include <microkit.h>
#include <stdio.h>

#define VMM_CHANNEL 1

void init(void)
{
}

void notified(microkit_channel ch)
{
    printf("adder: unexpected notification on channel %u\n", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != VMM_CHANNEL || microkit_msginfo_get_count(msginfo) != 1)
        return microkit_msginfo_new(1, 0);
    const seL4_Word answer = microkit_mr_get(0) + 22;
    microkit_notify(VMM_CHANNEL);
    microkit_mr_set(0, answer);
    return microkit_msginfo_new(0, 1);
}
