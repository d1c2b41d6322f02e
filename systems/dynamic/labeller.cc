// A client that asks the manager for the service "echo" under the labels "left", "right" and
// "nope" (docs/dynamic.md, "Sessions and labels"), calls each session it is given, and sums up
// what each reached: e (the echo child: 41 + 1, with the session's badge), t (the tagger, which
// answers with the client label the manager told it, here ending in " -> LABEL"), r (refused) or
// x (anything else). It then asks for the service "result" under that summary as its label: the
// configuration routes only the summary it expects to the tester's channel, so the tester is
// signalled exactly when every session went where the routes say.
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>

#include "manager_session.h"

namespace {

char reach(const char* label, seL4_Word slot)
{
    const seL4_Word status = manager_session_request("echo", label, slot);
    if (status == MANAGER_SESSION_REFUSED)
        return 'r';
    if (status != MANAGER_SESSION_OK)
        return 'x';
    seL4_SetMR(0, 41);
    (void)seL4_Call(slot, seL4_MessageInfo_new(0, 0, 0, 1));
    const seL4_Word answer = seL4_GetMR(0);
    const seL4_Word session = seL4_GetMR(1) >> MANAGER_SESSION_BADGE_SHIFT;
    if (answer == 42)
        return session == slot - MANAGER_CHILD_SESSION_BASE + 1 ? 'e' : 'x';
    if (answer < 1000 || answer - 1000 > MANAGER_SESSION_LABEL_BYTES)
        return 'x';
    char told[MANAGER_SESSION_LABEL_BYTES + 1];
    const size_t length = answer - 1000;
    manager_session_unpack(1, told, length);
    told[length] = '\0';
    printf("labeller: '%s' reached a server told '%s'\n", label, told);
    char suffix[MANAGER_SESSION_NAME_BYTES + 5];
    snprintf(suffix, sizeof suffix, " -> %s", label);
    const size_t n = strlen(suffix);
    return length > n && strcmp(told + length - n, suffix) == 0 ? 't' : 'x';
}

} // namespace

int main()
{
    static const char* const labels[] = {"left", "right", "nope"};
    char summary[48];
    size_t used = 0;
    for (size_t i = 0; i < 3; ++i)
        used += size_t(snprintf(summary + used, sizeof summary - used, "%s%s=%c", i ? " " : "", labels[i],
                                reach(labels[i], MANAGER_CHILD_SESSION_BASE + i)));
    const seL4_Word result = MANAGER_CHILD_SESSION_BASE + MANAGER_CHILD_SESSION_COUNT - 1;
    const seL4_Word status = manager_session_request("result", summary, result);
    printf("labeller: %s (result %s)\n", summary, status == MANAGER_SESSION_OK ? "routed" : "refused");
    if (status == MANAGER_SESSION_OK)
        seL4_Signal(result);
    return 0;
}
